import DUNESupport
import Foundation
import Report
import Testing

@testable import Literate

@Suite struct ChapterParserTests {
  @Test func stepsKeepTheirSourcePositionsAfterFrontMatter() throws {
    let chapter = try ChapterParser.parse(basicChapters["01-count.md"]!, path: "chapters/01-count.md")
    #expect(chapter.title == "Counting")
    #expect(chapter.parameters == ["scale": .int(2)])
    let steps = chapter.steps
    #expect(steps.map(\.id) == ["count", "total"])
    #expect(steps.map(\.kind) == ["count-lines", "sum"])
    #expect(steps[0].position == SourcePosition(line: 14, column: 1))
    #expect(steps[0].argumentPositions["path"] == SourcePosition(line: 16, column: 1))
    #expect(steps[1].position == SourcePosition(line: 19, column: 1))
    #expect(steps[1].argumentPositions["scale"] == SourcePosition(line: 22, column: 1))
    #expect(steps[1].argumentPositions["values.1"] == SourcePosition(line: 21, column: 33))
    #expect(steps[0].arguments == ["path": "data/input.txt"])
  }

  @Test func defaultIDsAreKindPlusOrdinalAndOptionsParse() throws {
    let text = """
      ```dune spp.greedy
      a: 1
      ```

      ```dune spp.greedy
      #| expect-error: too many
      #| cache: false
      a: 2
      ```
      """
    let steps = try ChapterParser.parse(text, path: "chapters/x.md").steps
    #expect(steps.map(\.id) == ["spp-greedy-1", "spp-greedy-2"])
    #expect(steps[0].hasExplicitID == false)
    #expect(steps[1].expectedError == "too many")
    #expect(steps[1].cacheEnabled == false)
    #expect(steps[1].arguments == ["a": 2])
  }

  @Test func indentedAndTildeFencesAreSteps() throws {
    let text = "Intro\n\n  ~~~~ dune sum\n  values: [1]\n  ~~~~\n"
    let steps = try ChapterParser.parse(text, path: "c.md").steps
    #expect(steps.count == 1)
    #expect(steps[0].position == SourcePosition(line: 3, column: 3))
    #expect(steps[0].argumentPositions["values"] == SourcePosition(line: 4, column: 3))
  }

  @Test func ordinaryCodeBlocksStayProse() throws {
    let chapter = try ChapterParser.parse("# T\n\n```swift\nlet x = 1 < 2\n```\n", path: "c.md")
    #expect(chapter.steps.isEmpty)
    guard case .prose(let html, _)? = chapter.blocks.first else {
      Issue.record("no prose")
      return
    }
    #expect(html.contains("<pre><code class=\"language-swift\">let x = 1 &lt; 2"))
  }

  @Test func proseIsWellFormedXHTMLWithGFMTables() throws {
    let text = """
      # Title & more

      Line one  
      line two with <b>raw html</b> and an image ![alt](x.png)

      ---

      | left | right |
      |:-----|------:|
      | a    | 1     |

      - [x] done
      - [ ] todo

      ~~struck~~ https://example.org
      """
    let chapter = try ChapterParser.parse(text, path: "c.md")
    guard case .prose(let html, _)? = chapter.blocks.first else {
      Issue.record("no prose")
      return
    }
    #expect(html.contains("<table>"))
    #expect(html.contains("style=\"text-align: right\""))
    #expect(html.contains("<br />"))
    #expect(html.contains("<hr />"))
    #expect(!html.contains("<b>"))  // raw HTML is omitted in safe mode
    #expect(XMLCheck.wellFormedFragment(html).isEmpty, "\(XMLCheck.wellFormedFragment(html))")
  }

  @Test func badYAMLIsReportedAtItsChapterPosition() throws {
    let text = "---\ntitle: x\n---\n\n```dune sum\nvalues: [1, 2\nscale: 3\n```\n"
    #expect(throws: Diagnostics.self) { try ChapterParser.parse(text, path: "chapters/b.md") }
    do {
      _ = try ChapterParser.parse(text, path: "chapters/b.md")
    } catch let d as Diagnostics {
      #expect(d.errors.count == 1)
      let e = d.errors[0]
      #expect(e.file == "chapters/b.md")
      #expect(e.location == .line(7, column: 6))
      #expect(e.message.hasPrefix("bad YAML"))
    }
  }

  @Test func badFrontMatterAndOptionsAreLocated() {
    do {
      _ = try ChapterParser.parse("---\ntitle: [x\n---\n", path: "c.md")
      Issue.record("expected an error")
    } catch let d as Diagnostics {
      #expect(d.errors.first?.description.hasPrefix("c.md:3:1: error: bad YAML") == true, "\(d)")
    } catch { Issue.record("\(error)") }

    do {
      _ = try ChapterParser.parse("text\n\n```dune sum\n#| colour: red\nvalues: []\n```\n", path: "c.md")
      Issue.record("expected an error")
    } catch let d as Diagnostics {
      #expect(
        d.errors.map(\.description) == [
          "c.md:4:1: error: unknown step option 'colour' (known: cache, expect-error, id)"
        ])
    } catch { Issue.record("\(error)") }

    do {
      _ = try ChapterParser.parse("```dune sum\n#| id: a\n```\n\n```dune sum\n#| id: a\n```\n", path: "c.md")
      Issue.record("expected an error")
    } catch let d as Diagnostics {
      #expect(d.errors.map(\.description) == ["c.md:5:1: error: duplicate step id 'a' (first used at line 1)"])
    } catch { Issue.record("\(error)") }
  }

  @Test func crlfLineEndingsParseLikeLF() throws {
    let lf = basicChapters["01-count.md"]!
    let a = try ChapterParser.parse(lf, path: "c.md")
    let b = try ChapterParser.parse(lf.replacingOccurrences(of: "\n", with: "\r\n"), path: "c.md")
    #expect(a.steps.map(\.arguments) == b.steps.map(\.arguments))
    #expect(a.steps.map(\.position) == b.steps.map(\.position))
  }
}

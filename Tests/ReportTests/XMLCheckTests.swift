import Testing

@testable import Report

@Suite struct XMLCheckTests {
  @Test func acceptsWellFormedDocuments() {
    #expect(
      XMLCheck.wellFormed(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>a &amp; b</p></body></html>"
      ).isEmpty)
    #expect(
      XMLCheck.wellFormed(
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect /></svg>"
      ).isEmpty)
  }

  /// `parse()` returns true for `<a><b></a>` on Linux; the collected errors must still catch it.
  @Test func reportsTagMismatch() {
    let issues = XMLCheck.wellFormed("<a><b></a>")
    #expect(!issues.isEmpty)
    #expect(issues.first?.line == 1)
  }

  @Test func reportsOtherErrorsWithPositions() {
    #expect(!XMLCheck.wellFormed("<a>\n<b>&nbsp;</b></a>").isEmpty)
    #expect(!XMLCheck.wellFormed("<a x=\"1\" x=\"2\"></a>").isEmpty)
    #expect(!XMLCheck.wellFormed("<svg><g></svg>").isEmpty)
    #expect(!XMLCheck.wellFormed("not xml at all").isEmpty)
    #expect(!XMLCheck.wellFormed("").isEmpty)
    let late = XMLCheck.wellFormed("<a>\n<b>\n</c></a>")
    #expect(late.first?.line == 3)
  }

  @Test func checksFragments() {
    #expect(XMLCheck.wellFormedFragment("<p>one</p><p>two <br /></p>text").isEmpty)
    #expect(XMLCheck.wellFormedFragment("").isEmpty)
    #expect(!XMLCheck.wellFormedFragment("<p>unclosed").isEmpty)
    #expect(!XMLCheck.wellFormedFragment("<p>a<br>b</p>").isEmpty)
    #expect(!XMLCheck.wellFormedFragment("</dune-fragment><x>").isEmpty)
  }

  @Test func findsActiveContent() {
    #expect(XMLCheck.inspectFragment("<p>ok <a href=\"x.html\">x</a></p>").unsafe.isEmpty)
    #expect(!XMLCheck.inspectFragment("<script>alert(1)</script>").unsafe.isEmpty)
    #expect(!XMLCheck.inspectFragment("<img src=\"x\" onerror=\"alert(1)\" />").unsafe.isEmpty)
    #expect(!XMLCheck.inspectFragment("<a href=\" JavaScript:alert(1)\">x</a>").unsafe.isEmpty)
    #expect(!XMLCheck.inspectFragment("<svg><foreignObject></foreignObject></svg>").unsafe.isEmpty)
    #expect(
      !XMLCheck.inspectFragment("<img src=\"https://example.com/x.png\" alt=\"\" />").unsafe.isEmpty
    )
    #expect(!XMLCheck.inspectFragment("<img src=\"//cdn.example/x.png\" />").unsafe.isEmpty)
    #expect(
      !XMLCheck.inspectFragment("<svg><image href=\"http://x/y.png\" /></svg>").unsafe.isEmpty)
    #expect(
      !XMLCheck.inspectFragment("<p style=\"background: url(http://x)\">a</p>").unsafe.isEmpty)
    #expect(
      XMLCheck.inspectFragment(
        "<p><a href=\"https://doi.org/10.1/x\">paper</a> <img src=\"figs/local.png\" alt=\"\" /></p>"
      ).unsafe.isEmpty)
  }
}

/// The one stylesheet inlined into every page: light, print-friendly, responsive tables.
///
/// It is embedded verbatim in `<style>`, which HTML parses as raw text and XML as character
/// data, so it must not contain `<`, `>` or `&` (a test enforces this); that is why the CSS uses
/// no child combinators.
public enum Stylesheet {
  /// The CSS text.
  public static let css = """
    :root { color-scheme: light; --fg: #1d1d1f; --muted: #5f6368; --line: #d8dadf; --bg-soft: #f6f7f9; --accent: #0b57d0; --bad: #b3261e; --bad-bg: #fde7e6; }
    * { box-sizing: border-box; }
    body { margin: 0; color: var(--fg); background: #ffffff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    header.site, nav.chapters, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
    header.site { padding-top: 1rem; font-size: 0.95rem; color: var(--muted); }
    header.site a { color: inherit; }
    nav.chapters { font-size: 0.9rem; padding-top: 0.5rem; padding-bottom: 0.5rem; border-bottom: 1px solid var(--line); }
    nav.chapters ol { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
    nav.chapters li.current { font-weight: 600; }
    nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin: 2rem 0 1rem; font-size: 0.95rem; }
    a { color: var(--accent); }
    h1 { font-size: 1.8rem; line-height: 1.25; margin: 1.25rem 0 0.75rem; }
    h2 { font-size: 1.35rem; margin-top: 2rem; }
    code, pre, kbd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
    pre { background: var(--bg-soft); padding: 0.75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
    .banner { border: 2px solid var(--bad); background: var(--bad-bg); color: var(--bad); padding: 0.75rem 1rem; margin: 1rem 0; font-weight: 600; }
    .banner .where { font-weight: normal; color: var(--fg); }
    .note { border-left: 4px solid var(--line); background: var(--bg-soft); padding: 0.5rem 0.75rem; margin: 0.75rem 0; }
    .note.warning { border-left-color: #b26a00; }
    section.step { border: 1px solid var(--line); border-radius: 6px; margin: 1.5rem 0; padding: 0.75rem 1rem 1rem; page-break-inside: avoid; }
    section.step.failed { border-color: var(--bad); border-width: 2px; }
    .step-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem 0.75rem; }
    .step-head .kind { font-weight: 600; }
    .badge { display: inline-block; border: 1px solid currentColor; border-radius: 3px; padding: 0 0.4rem; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; }
    .badge.fresh, .badge.done { color: #3c6e47; } .badge.ran { color: #0b57d0; } .badge.failed { color: var(--bad); } .badge.expected-failure, .badge.skipped { color: var(--muted); }
    .duration, .size, .muted { color: var(--muted); font-size: 0.9rem; }
    .table-wrap { overflow-x: auto; margin: 0.75rem 0; }
    table { border-collapse: collapse; font-size: 0.92rem; }
    caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
    th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid var(--fg); }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    table.kv th { font-weight: 600; white-space: nowrap; }
    figure { margin: 1rem 0; }
    figure svg { max-width: 100%; height: auto; }
    figcaption { font-size: 0.92rem; color: var(--muted); margin-top: 0.25rem; }
    ul.files { padding-left: 1.25rem; }
    details.more { margin: 0.5rem 0; }
    details.more summary { cursor: pointer; color: var(--muted); font-size: 0.92rem; }
    ul.notes { margin: 0.5rem 0; padding-left: 1.25rem; font-size: 0.92rem; }
    ul.keys { margin: 0; padding-left: 1rem; }
    ul.keys .value, table.answer td { font-variant-numeric: tabular-nums; font-weight: 600; }
    section.answer { border: 1px solid var(--line); border-radius: 6px; padding: 0 1rem 0.5rem; margin: 1rem 0 2rem; }
    section.answer h2 { margin-top: 1rem; }
    details.provenance { margin: 2rem 0; border-top: 1px solid var(--line); padding-top: 0.75rem; font-size: 0.92rem; }
    details.provenance summary { cursor: pointer; font-weight: 600; }
    @media print {
      body { font-size: 11pt; }
      nav.chapters, nav.pager { display: none; }
      a { color: inherit; text-decoration: none; }
      .table-wrap { overflow: visible; }
      section.step, figure { break-inside: avoid; }
    }
    """
}

/// `a/b` with exactly one separator (`b` absolute → `b`; empty `a` → `b`).
func joinPath(_ a: String, _ b: String) -> String {
  if b.hasPrefix("/") || a.isEmpty { return b }
  if b.isEmpty { return a }
  return a.hasSuffix("/") ? a + b : a + "/" + b
}

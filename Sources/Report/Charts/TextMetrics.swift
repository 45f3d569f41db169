/// Estimates how wide text renders, so charts can size margins without a font engine.
///
/// Widths are per character, as fractions of the font size, for a generic sans-serif face;
/// the estimate errs wide so labels do not overlap.
enum TextMetrics {
  /// Estimated width of `text` at `fontSize` pixels.
  static func width(_ text: String, fontSize: Double) -> Double {
    var em = 0.0
    for s in text.unicodeScalars {
      switch s {
      case "i", "j", "l", "I", ".", ",", ":", ";", "|", "!", "'", " ", "(", ")", "[", "]", "f", "t":
        em += 0.32
      case "m", "w", "M", "W", "@", "%":
        em += 0.9
      case "A"..."Z", "0"..."9", "_", "#", "&":
        em += 0.66
      default:
        em += s.isASCII ? 0.56 : 0.9
      }
    }
    return em * fontSize
  }

  /// `text` cut to at most `maxWidth` (with an ellipsis), or unchanged when it fits.
  static func truncate(_ text: String, fontSize: Double, maxWidth: Double) -> String {
    if width(text, fontSize: fontSize) <= maxWidth { return text }
    // Widths add up per character, so one pass suffices.
    let budget = maxWidth - width("…", fontSize: fontSize)
    var out = ""
    var used = 0.0
    for ch in text {
      let w = width(String(ch), fontSize: fontSize)
      if used + w > budget { break }
      used += w
      out.append(ch)
    }
    return out + "…"
  }
}

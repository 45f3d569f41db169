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
    var out = ""
    for ch in text {
      if width(out + String(ch) + "…", fontSize: fontSize) > maxWidth { break }
      out.append(ch)
    }
    return out + "…"
  }
}

import Foundation

/// Colours of the charts: colour-blind-safe categorical colours and a sequential scale.
public enum Palette {
  /// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), yellow last
  /// because it is faint on white paper.
  public static let categorical = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
  ]

  /// Colour of series `i` (cycles after eight).
  public static func series(_ i: Int) -> String { categorical[i % categorical.count] }

  /// Viridis sampled at nine evenly spaced stops; interpolated linearly in sRGB.
  static let viridisStops: [(Double, Double, Double)] = [
    (0x44, 0x01, 0x54), (0x47, 0x2D, 0x7B), (0x3B, 0x52, 0x8B), (0x2C, 0x72, 0x8E),
    (0x21, 0x91, 0x8C), (0x28, 0xAE, 0x80), (0x5E, 0xC9, 0x62), (0xAD, 0xDC, 0x30),
    (0xFD, 0xE7, 0x25),
  ]

  /// The sequential colour of `t` in `0...1` (clamped) as `#rrggbb`.
  public static func sequential(_ t: Double) -> String {
    let (r, g, b) = sequentialRGB(t)
    return hex(r, g, b)
  }

  /// Whether text on the sequential colour of `t` should be white (dark cells) rather than black.
  static func needsLightText(_ t: Double) -> Bool {
    let (r, g, b) = sequentialRGB(t)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128
  }

  static func sequentialRGB(_ t: Double) -> (Double, Double, Double) {
    let x = t.isFinite ? Swift.min(1, Swift.max(0, t)) : 0
    let pos = x * Double(viridisStops.count - 1)
    let i = Swift.min(viridisStops.count - 2, Int(pos))
    let f = pos - Double(i)
    let a = viridisStops[i]
    let b = viridisStops[i + 1]
    return (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
  }

  private static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
    let digits = Array("0123456789abcdef")
    var s = "#"
    for c in [r, g, b] {
      let v = Swift.min(255, Swift.max(0, Int(c.rounded())))
      s.append(digits[v / 16])
      s.append(digits[v % 16])
    }
    return s
  }
}

import Foundation

/// Paths of the published golden inputs vendored in the repository (`paper/inputs`, provenance in its README).
enum ReferenceFiles {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let directory = repoRoot.appendingPathComponent("paper/inputs")

  static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  static var unswWeights: String { path("importance_weights.csv") }
  static var unswScores: String { path("score_per_class.csv") }
  static var tonWeights: String { path("importance_weights_ToN-IoT.csv") }
  static var tonScores: String { path("ToN-IoT_score_per_class.csv") }
  static var tutorialFP: String { path("tutorial_cm_matrix_cluster.csv") }
  static var tutorialF1: String { path("tutorial_cluster_f1.csv") }

  static let unswUnwanted = ["Blipcare Blood Pressure meter", "IPhone"]
  static let tonUnwanted = ["mitm", "dos", "backdoor"]
}

/// Whether `a` equals the printed value `b` that has `decimals` digits after the point (the spec prints
/// its golden values rounded; a tolerance of half a unit in the last printed place, plus float noise).
func agrees(_ a: Double, _ b: Double, decimals: Int = 5) -> Bool {
  abs(a - b) <= 0.5 * pow(10, -Double(decimals)) + 1e-12
}

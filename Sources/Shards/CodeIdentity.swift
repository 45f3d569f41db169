import DUNESupport
import Foundation

/// What identifies the code that computes a shard: the SHA-256 of the running executable.
///
/// A shard computed by a different build could differ in its bytes, so a job records the digest of
/// the binary that planned it, every shard result records the digest of the binary that computed
/// it, and the merge accepts only results whose digest matches.
public enum CodeIdentity {
  /// The digest of this process's executable (computed once per process; `unknown` if unreadable).
  public static let current: String = {
    let path = executablePath
    return (try? SHA256.hexOfFile(atPath: path)) ?? "unknown"
  }()

  /// The path of this process's executable (`/proc/self/exe` resolved, else `argv[0]`).
  public static var executablePath: String {
    if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
    return CommandLine.arguments.first ?? "dune"
  }
}

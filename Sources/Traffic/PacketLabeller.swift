import DUNESupport
import Foundation

/// Why a decoded TCP/UDP packet did not reach the samples.
public enum DropReason: String, Sendable, CaseIterable, Codable {
  /// MAC-list scheme: neither MAC (nor the gateway rule) names a listed device.
  case unlabelled
  /// The packet has no Ethernet MACs but the scheme needs them.
  case noMAC
  /// Directory scheme: neither MAC is the folder's device MAC.
  case macMismatch
  /// Flow-ID scheme: the packet's flow is not listed in the split's label file.
  case notInFlowList
  /// The (merged) label is one of the use case's excluded labels.
  case excludedLabel
  /// The (merged) label is one of the use case's unwanted classes.
  case unwantedClass
}

/// Labels the packets of one capture file for one split (`dune-reference.md` §2.4), then applies
/// the use case's merges and drops excluded labels and unwanted classes. Built once per run, shared read-only by all workers.
public struct PacketLabeller: Sendable {
  enum Rule: Sendable {
    /// MAC → device (last row of the list wins); `gateway` enables UNSW's two-pass rule.
    case macList(devices: [UInt64: String], gateway: UInt64?)
    case flowList([FiveTuple: String])
    /// Top folder → its device MAC (absent: keep every packet of the folder).
    case directory(folderMAC: [String: UInt64])
  }

  let rule: Rule
  let merges: [String: String]
  let excluded: Set<String>
  let unwanted: Set<String>

  init(rule: Rule, merges: [String: String], excluded: Set<String>, unwanted: Set<String> = []) {
    self.rule = rule
    self.merges = merges
    self.excluded = excluded
    self.unwanted = unwanted
  }

  /// The labelling decision for one packet: a final label, or why it is dropped.
  public enum Outcome: Equatable, Sendable {
    case label(String)
    case drop(DropReason)
  }

  /// Labels `p` found in the capture at `folder` (first folder below the captures folder).
  public func label(_ p: Packet, folder: String) -> Outcome {
    let raw: String
    switch rule {
    case .macList(let devices, let gateway):
      guard let src = p.srcMAC, let dst = p.dstMAC else { return .drop(.noMAC) }
      if let gw = gateway {
        // UNSW (§2.4): pass 2 (downlink from the gateway → destination device) overrides pass 1.
        if src == gw, let d = devices[dst] {
          raw = d
        } else if let s = devices[src] {
          raw = s
        } else {
          return .drop(.unlabelled)
        }
      } else if let s = devices[src] {
        raw = s
      } else if let d = devices[dst] {
        raw = d
      } else {
        return .drop(.unlabelled)
      }
    case .flowList(let flows):
      guard let l = flows[p.fiveTuple] else { return .drop(.notInFlowList) }
      raw = l
    case .directory(let folderMAC):
      if let mac = folderMAC[folder] {
        guard let src = p.srcMAC, let dst = p.dstMAC else { return .drop(.noMAC) }
        if src != mac && dst != mac { return .drop(.macMismatch) }
      }
      raw = folder
    }
    let merged = merges[raw] ?? raw
    if excluded.contains(merged) { return .drop(.excludedLabel) }
    if unwanted.contains(merged) { return .drop(.unwantedClass) }
    return .label(merged)
  }
}

extension PacketLabeller {
  /// Builds the labeller of `split` for `useCase`, reading its label files under `dataFolder`.
  ///
  /// `folders` are the top folders of the captures (directory scheme: where to look for MAC files).
  public static func make(
    useCase: UseCase, split: String, dataFolder: String, folders: [String]
  ) throws -> PacketLabeller {
    let rule: Rule
    switch useCase.labelling {
    case .macList(let file, let gw):
      let devices = try readDeviceList(path: joinPath(dataFolder, file))
      rule = .macList(devices: devices, gateway: gw.flatMap { MACAddress.parse($0) })
    case .flowIDFile(let files, let column):
      guard let f = files[split] else {
        throw UsageError("use case '\(useCase.name)': no label file for split '\(split)'")
      }
      rule = .flowList(try readFlowLabels(path: joinPath(dataFolder, f), labelColumn: column))
    case .directory(let macFile):
      var map: [String: UInt64] = [:]
      if let macFile {
        let root = joinPath(dataFolder, useCase.capturesFolder)
        for folder in folders where !folder.isEmpty {
          let path = joinPath(joinPath(root, folder), macFile)
          guard let data = FileManager.default.contents(atPath: path) else { continue }
          let text = String(decoding: data, as: UTF8.self)
          guard let mac = MACAddress.parse(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LocatedError(file: path, line: 1, "not a MAC address: '\(text.prefix(40))'")
          }
          map[folder] = mac
        }
      }
      rule = .directory(folderMAC: map)
    }
    return PacketLabeller(
      rule: rule, merges: useCase.merges, excluded: Set(useCase.excludedLabels),
      unwanted: Set(useCase.unwantedClasses))
  }

  /// Reads a `List of Devices,MAC ADDRESS` file; a MAC listed twice maps to its last row.
  public static func readDeviceList(path: String) throws -> [UInt64: String] {
    let t = try CSVTable.read(path: path)
    guard t.header.map({ $0.trimmingCharacters(in: .whitespaces) }) == ["List of Devices", "MAC ADDRESS"] else {
      throw LocatedError(
        file: path, line: 1,
        "expected header 'List of Devices,MAC ADDRESS', found '\(t.header.joined(separator: ","))'")
    }
    var map: [UInt64: String] = [:]
    for r in t.records {
      guard let mac = MACAddress.parse(r.fields[1]) else {
        throw LocatedError(file: path, line: r.line, "not a MAC address: '\(r.fields[1])'")
      }
      map[mac] = r.fields[0].trimmingCharacters(in: .whitespaces)
    }
    return map
  }

  /// Reads a ToN-style `Flow ID,…,Label` file; when a Flow ID repeats, the last row wins.
  public static func readFlowLabels(path: String, labelColumn: String?) throws -> [FiveTuple: String] {
    let t = try CSVTable.read(path: path)
    let idCol = try t.column("Flow ID")
    let labelCol: Int
    if let labelColumn {
      labelCol = try t.column(labelColumn)
    } else if let i = t.header.firstIndex(of: "Label") ?? t.header.firstIndex(of: "label") {
      labelCol = i
    } else {
      throw LocatedError(
        file: path, line: 1, "missing column 'Label' (or 'label') (header: \(t.header.joined(separator: ",")))")
    }
    var map: [FiveTuple: String] = [:]
    map.reserveCapacity(t.records.count)
    for r in t.records {
      guard let key = FiveTuple(flowID: r.fields[idCol]) else {
        throw LocatedError(file: path, line: r.line, column: idCol + 1, "not a Flow ID: '\(r.fields[idCol])'")
      }
      map[key] = r.fields[labelCol]
    }
    return map
  }
}

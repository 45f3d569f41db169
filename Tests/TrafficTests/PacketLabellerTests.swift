import DUNESupport
import Foundation
import Testing

@testable import Traffic

@Suite struct PacketLabellerTests {
  let cam: UInt64 = 0x1111, plug: UInt64 = 0x2222, gw: UInt64 = 0x9999, other: UInt64 = 0x5555

  func macLabeller(
    gateway: UInt64?, merges: [String: String] = [:], excluded: Set<String> = [], unwanted: Set<String> = []
  ) -> PacketLabeller {
    PacketLabeller(
      rule: .macList(devices: [cam: "Cam", plug: "Plug", gw: "Gateway"], gateway: gateway), merges: merges,
      excluded: excluded, unwanted: unwanted)
  }

  @Test func macListSourceThenDestination() {
    let l = macLabeller(gateway: nil)
    #expect(l.label(pkt(0, srcMAC: cam, dstMAC: gw), folder: "") == .label("Cam"))
    #expect(l.label(pkt(0, srcMAC: other, dstMAC: plug), folder: "") == .label("Plug"))
    // Source wins over destination: gateway → camera is attributed to the gateway.
    #expect(l.label(pkt(0, srcMAC: gw, dstMAC: cam), folder: "") == .label("Gateway"))
    #expect(l.label(pkt(0, srcMAC: other, dstMAC: other), folder: "") == .drop(.unlabelled))
    #expect(l.label(pkt(0, srcMAC: nil, dstMAC: nil), folder: "") == .drop(.noMAC))
  }

  /// UNSW two-pass rule: downlink from the gateway goes to the destination device; anything else
  /// to the destination is unlabelled unless the source is a device; the gateway label is excluded.
  @Test func unswGatewayRule() {
    let l = macLabeller(gateway: gw, excluded: ["Gateway"])
    #expect(l.label(pkt(0, srcMAC: gw, dstMAC: cam), folder: "") == .label("Cam"))
    #expect(l.label(pkt(0, srcMAC: cam, dstMAC: gw), folder: "") == .label("Cam"))
    #expect(l.label(pkt(0, srcMAC: other, dstMAC: cam), folder: "") == .drop(.unlabelled))
    #expect(l.label(pkt(0, srcMAC: cam, dstMAC: plug), folder: "") == .label("Cam"))
    #expect(l.label(pkt(0, srcMAC: gw, dstMAC: other), folder: "") == .drop(.excludedLabel))
  }

  @Test func mergesThenExcludedAndUnwanted() {
    let l = macLabeller(
      gateway: nil, merges: ["Cam": "Camera", "Plug": "Kettle"], excluded: ["Gateway"], unwanted: ["Kettle"])
    #expect(l.label(pkt(0, srcMAC: cam, dstMAC: other), folder: "") == .label("Camera"))
    #expect(l.label(pkt(0, srcMAC: plug, dstMAC: other), folder: "") == .drop(.unwantedClass))
    #expect(l.label(pkt(0, srcMAC: gw, dstMAC: other), folder: "") == .drop(.excludedLabel))
  }

  @Test func deviceListFileLastRowWinsAndBadHeader() throws {
    let dir = makeTempDir()
    defer { removeTemp(dir) }
    writeText(
      "List of Devices,MAC ADDRESS\nHueBridge,00:17:88:24:76:ff\nHueSwitch,00:17:88:24:76:FF\nAria,20:f8:5e:ca:91:52\n",
      dir + "/ok.csv")
    let map = try PacketLabeller.readDeviceList(path: dir + "/ok.csv")
    #expect(map[0x0017_8824_76FF] == "HueSwitch")
    #expect(map[0x20F8_5ECA_9152] == "Aria")
    writeText("Device,MAC\nA,00:00:00:00:00:01\n", dir + "/bad.csv")
    #expect(throws: LocatedError.self) { try PacketLabeller.readDeviceList(path: dir + "/bad.csv") }
    do {
      _ = try PacketLabeller.readDeviceList(path: dir + "/bad.csv")
    } catch let e as LocatedError {
      #expect(e.location == .line(1, column: nil))
      #expect(e.file.hasSuffix("bad.csv"))
    }
    writeText("List of Devices,MAC ADDRESS\nA,00:00:00:00:00:01\nB,zz:00\n", dir + "/badmac.csv")
    do {
      _ = try PacketLabeller.readDeviceList(path: dir + "/badmac.csv")
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect(e.location == .line(3, column: nil))
    }
  }

  @Test func flowIDFileLastRowWinsAndFilters() throws {
    let dir = makeTempDir()
    defer { removeTemp(dir) }
    writeText(
      "Flow ID,Label\n10.0.0.1 10.0.0.2 1000 80 6,normal\n10.0.0.1 10.0.0.2 1000 80 6,ddos\n10.0.0.3-10.0.0.2-5353-5353-17,xss\n",
      dir + "/train.csv")
    let flows = try PacketLabeller.readFlowLabels(path: dir + "/train.csv", labelColumn: nil)
    let l = PacketLabeller(rule: .flowList(flows), merges: [:], excluded: [])
    #expect(l.label(pkt(0), folder: "") == .label("ddos"))
    #expect(l.label(pkt(0, src: 0x0A00_0003, sport: 5353, dport: 5353, proto: 17), folder: "") == .label("xss"))
    #expect(l.label(pkt(0, sport: 1001), folder: "") == .drop(.notInFlowList))
    writeText("Flow,Label\nx,y\n", dir + "/bad.csv")
    do {
      _ = try PacketLabeller.readFlowLabels(path: dir + "/bad.csv", labelColumn: nil)
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect(e.location == .line(1, column: nil))
    }
    writeText("Flow ID,label\n10.0.0.1 10.0.0.2 1000 80 6,a\nnot a flow,b\n", dir + "/badrow.csv")
    do {
      _ = try PacketLabeller.readFlowLabels(path: dir + "/badrow.csv", labelColumn: nil)
      Issue.record("expected an error")
    } catch let e as LocatedError {
      #expect(e.location == .line(3, column: 1))
    }
  }

  @Test func directorySchemeWithDeviceMAC() {
    let l = PacketLabeller(rule: .directory(folderMAC: ["Cam": cam]), merges: ["Cam": "Camera"], excluded: [])
    #expect(l.label(pkt(0, srcMAC: other, dstMAC: cam), folder: "Cam") == .label("Camera"))
    #expect(l.label(pkt(0, srcMAC: other, dstMAC: plug), folder: "Cam") == .drop(.macMismatch))
    // A folder without a MAC file keeps every packet.
    #expect(l.label(pkt(0, srcMAC: other, dstMAC: plug), folder: "Plug") == .label("Plug"))
  }
}

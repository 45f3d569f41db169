/// The built-in use cases: `synthetic` (default), `iot-sentinel`, `unsw`, `ton-iot`.
extension UseCase {
  /// Built-in names in the order they are listed to users.
  public static let builtinNames = ["synthetic", "iot-sentinel", "unsw", "ton-iot"]

  /// The built-in use case called `name`, or nil.
  public static func builtin(_ name: String) -> UseCase? {
    switch name {
    case "synthetic": return synthetic(SyntheticParameters())
    case "iot-sentinel": return iotSentinel
    case "unsw": return unsw
    case "ton-iot": return tonIoT
    default: return nil
    }
  }

  /// The generated default dataset: one folder per device class, MAC-list labels, by-file split.
  public static func synthetic(_ p: SyntheticParameters) -> UseCase {
    let classes = SyntheticDataset.classNames(count: p.classes)
    return UseCase(
      name: "synthetic",
      description: "Generated smart-home traffic (\(classes.count) device classes), seed \(p.seed)",
      dataFolder: nil, capturesFolder: "captures", classes: classes,
      featureSets: FeatureSetChoice(unconstrained: "all", cluster: "easy"),
      labelling: .macList(file: SyntheticDataset.deviceListFile, gatewayMAC: nil),
      split: .indexModulo(modulus: 4, testRemainders: [3], perFolder: true),
      spp: SPPParameters(nClasses: classes.count, nFeatures: 15), synthetic: p)
  }

  /// IoT Sentinel, exactly as `datasets/iot-sentinel/README.md` defines it.
  public static let iotSentinel = UseCase(
    name: "iot-sentinel",
    description: "IoT Sentinel setup captures: 25 device types, folder labels, by-file split",
    dataFolder: nil, dataEnvironment: "DUNE_IOT_SENTINEL_DATA",
    dataSource:
      "the public IoT Sentinel captures (Miettinen et al., ICDCS 2017; MIT licence): "
      + "https://github.com/andypitcher/IoT_Sentinel, folder captures_IoT_Sentinel/captures_IoT-Sentinel "
      + "(one folder per device with its _iotdevice-mac.txt); link or copy that folder to DIR/captures",
    capturesFolder: "captures",
    classes: [
      "Aria", "D-LinkCam", "D-LinkDayCam", "D-LinkDoorSensor", "D-LinkHomeHub", "D-LinkSensor",
      "D-LinkSiren", "D-LinkSwitch", "D-LinkWaterSensor", "EdimaxCam", "EdimaxPlug1101W",
      "EdimaxPlug2101W", "EdnetCam", "EdnetGateway", "HomeMaticPlug", "HueBridge", "HueSwitch",
      "Lightify", "MAXGateway", "TP-LinkPlugHS100", "TP-LinkPlugHS110", "WeMoInsightSwitch", "WeMoLink",
      "WeMoSwitch", "Withings",
    ],
    merges: [
      "EdimaxCam1": "EdimaxCam", "EdimaxCam2": "EdimaxCam", "EdnetCam1": "EdnetCam", "EdnetCam2": "EdnetCam",
      "WeMoInsightSwitch2": "WeMoInsightSwitch", "WeMoSwitch2": "WeMoSwitch",
    ],
    unwantedClasses: ["SmarterCoffee", "iKettle2"],
    featureSets: FeatureSetChoice(unconstrained: "all", cluster: "easy"),
    labelling: .directory(deviceMACFile: "_iotdevice-mac.txt"),
    split: .indexModulo(modulus: 4, testRemainders: [3], perFolder: true),
    spp: SPPParameters(nClasses: 25, nFeatures: 15))

  /// UNSW-IoT reference layout (§2.1, §9): daily traces under `captures/`, `iot_device_list.csv`,
  /// test = `16-10-05.pcap`. Users bring the data.
  public static let unsw = UseCase(
    name: "unsw",
    description: "UNSW-IoT device identification: 24 classes, MAC labels with the gateway rule, test day 16-10-05",
    dataFolder: nil, dataEnvironment: "DUNE_UNSW_DATA",
    dataSource:
      "the UNSW IoT traces (Sivanathan et al., IEEE TMC 2018): https://iotanalytics.unsw.edu.au/iottraces.html; "
      + "daily pcaps in DIR/captures and the device list as DIR/iot_device_list.csv",
    capturesFolder: "captures",
    classes: [
      "Amazon Echo", "Android Phone", "Belkin Wemo switch", "Belkin wemo motion sensor", "Dropcam",
      "HP Printer", "Insteon Camera", "Laptop", "Light Bulbs LiFX Smart Bulb", "MacBook",
      "NEST Protect smoke alarm", "Netatmo Welcome", "Netatmo weather station", "PIX-STAR Photo-frame",
      "Samsung Galaxy Tab", "Samsung SmartCam", "Smart Things", "TP-Link Day Night Cloud camera",
      "TP-Link Smart plug", "Triby Speaker", "Withings Smart Baby Monitor",
      "Withings Aura smart sleep sensor", "Withings Smart scale", "iHome",
    ],
    unwantedClasses: ["Blipcare Blood Pressure meter", "IPhone"],
    excludedLabels: ["TPLink Router Bridge LAN (Gateway)", "Nest Dropcam", "MacBook/Iphone"],
    featureSets: FeatureSetChoice(unconstrained: "all", cluster: "easy"),
    labelling: .macList(file: "iot_device_list.csv", gatewayMAC: "14:cc:20:51:33:ea"),
    split: .fileNames(test: ["16-10-05.pcap"]),
    spp: SPPParameters(nClasses: 24, nFeatures: 15))

  /// ToN-IoT reference layout (§2.1, §9): captures under `captures/`, one flow-ID label file per
  /// split. Users bring the data.
  public static let tonIoT = UseCase(
    name: "ton-iot",
    description: "ToN-IoT attack classification: 7 classes, flow-ID label files per split",
    dataFolder: nil, dataEnvironment: "DUNE_TON_IOT_DATA",
    dataSource:
      "the ToN_IoT network dataset (Moustafa et al.): https://research.unsw.edu.au/projects/toniot-datasets; "
      + "pcaps in DIR/captures and the two flow-ID label files beside them",
    capturesFolder: "captures",
    classes: ["normal", "scanning", "ddos", "injection", "password", "xss", "ransomware"],
    unwantedClasses: ["mitm", "dos", "backdoor"],
    featureSets: FeatureSetChoice(unconstrained: "no_time", cluster: "no_time"),
    labelling: .flowIDFile(
      files: ["train": "ToN_IoT_Train_Label.csv", "test": "ToN_IoT_Test_Label.csv"], labelColumn: nil),
    split: .labelFiles,
    spp: SPPParameters(nClasses: 7, nFeatures: 15))
}

// DataPlane module overview — where each part of `data-plane.md` lives.
//
// Encoding (§2.2)            FeatureEncoding.swift (e_f, k = ⌊θ⌋ + δ_f, saturation, referenceSentinel),
//                            EncodingScheme.swift (widths/kinds from the catalog), TimeQuantisation.swift (§3.5,
//                            applied to sample tables before training), ihlThreshold (ip.hdr_len note).
// Compiled IR (§2.3–2.7)     CompiledSubModel.swift: FeatureTable / CodeSlice / RangeRow, CodeTable / CodeEntry,
//                            VotingTable, ClassMap, RegisterSpec — the contract for the P4 emitters.
// Compiler                   TableCompiler.swift (feature tables, codewords, code tables, unreachable leaves),
//                            VotingTableBuilder.swift (plurality / strict majority, tie rules), RegisterPlan.swift.
// Lookup evaluator (§10.1)   TableLookupEvaluator.swift; reference vote ForestModel+HardVote.swift;
//                            TableVerification.swift (`dune dataplane verify`).
// Resources (§9)             ResourceModel.swift (§9.3 refined estimate, typed FitResult), SwitchBudget.swift
//                            (Tofino-1 limits §7.4); the §6.4 formula is Forest's ReferenceTCAMModel.swift.
// Hashes (§3.1)              CRC.swift (bmv2 crc16 = CRC-16/ARC, crcCCITT, IEEE crc32; SlotHash).
// Chain emulator (§3–6)      ChainEmulator.swift (switch rules §5.3, registers, controller), SwitchFeatures.swift
//                            (header fields, stateful updates §3.4), DuneHeader.swift (§5.1), ReplayInput.swift
//                            (time-ordered merge, (capture, 5-tuple) flows), ChainScoring.swift (FL/PL F1),
//                            ChainSpec.swift (chain JSON), PacketCSV.swift (replay input), MonolithicBaseline.swift.
// Synthetic data             SyntheticTraffic.swift, SyntheticChain.swift (benchmarks, tests;
//                            RNG: DUNESupport.SplitMix64).

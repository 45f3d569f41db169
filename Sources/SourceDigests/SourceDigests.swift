/// Digests of the package's module sources and the module graph, generated at build time by
/// `SourceDigestPlugin` (the statics live in the generated `SourceDigests+Generated.swift`).
///
/// The literate runner folds the digests of the modules a step uses into the step's cache key, so a
/// changed library re-runs exactly the steps that use it.
public enum SourceDigests {}

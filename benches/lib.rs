//! Benchmarks of statecraft live in `benches/`; they load the bundled scenarios through the
//! test-support crate, so they bench exactly what users run.

//! Integration tests of statecraft: one binary, a module per theme.

mod architecture;
mod determinism;
mod docking;
mod identities;
mod invariants;
mod numeric;
mod properties;
mod scenarios;
mod strategies;
mod tariff_war;
mod tournament;

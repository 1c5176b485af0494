//! Structural mutations of a valid scenario: the fuzzer's bytes pick numbers of the three-actor
//! example and replace them with arbitrary values (NaN, infinities, negatives, huge and tiny
//! numbers included), flip flags and policies, and change names. Validation must reject what it
//! cannot simulate, with a message; what it accepts must run 3 rounds without a panic and with
//! finite outcomes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use statecraft_core::scenario::{Policy, WorldSource};
use statecraft_core::{Dist, Param, Sim, World};

const EXAMPLE: &str = include_str!("../../scenarios/examples/three_actors.ron");

/// Reads the fuzzer's bytes as a stream of choices.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }
    fn f64(&mut self) -> Option<f64> {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.byte()?;
        }
        Some(match b[0] % 8 {
            0 => f64::from_le_bytes(b),
            1 => [0.0, -0.0, 1.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE][b[1] as usize % 8],
            2 => 10f64.powi(i32::from(b[1] as i8) / 4),
            _ => f64::from(b[1]) / 255.0 * 2.0 - 0.5,
        })
    }
    fn param(&mut self) -> Option<Param> {
        let (a, b) = (self.f64()?, self.f64()?);
        Some(match self.byte()? % 6 {
            0 => Param::Dist(Dist::Uniform(a, b)),
            1 => Param::Dist(Dist::LogUniform(a, b)),
            2 => Param::Dist(Dist::Normal(a, b)),
            3 => Param::Dist(Dist::TruncNormal(a, b.abs(), a - 1.0, a + 1.0)),
            4 => Param::Dist(Dist::Choice(vec![a, b])),
            _ => Param::Fixed(a),
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let mut sc = statecraft_core::parse(EXAMPLE, "three_actors.ron").expect("the example parses");
    let mut bytes = Bytes(data);
    let WorldSource::Inline(w) = &mut sc.world else { return };
    while let Some(op) = bytes.byte() {
        let res: Option<()> = (|| {
            match op % 10 {
                0 => {
                    let fields = statecraft_core::scenario::ModelParams::<Param>::FIELDS;
                    let (name, ..) = fields[bytes.byte()? as usize % fields.len()];
                    *w.model.get_mut(name)? = bytes.param()?;
                }
                1 => {
                    let fields = statecraft_core::scenario::ActorParams::<Param>::FIELDS;
                    let (name, ..) = fields[bytes.byte()? as usize % fields.len()];
                    let k = bytes.byte()? as usize % w.actors.len();
                    *w.actors[k].params.get_mut(name)? = bytes.param()?;
                }
                2 => {
                    let k = bytes.byte()? as usize % w.trade.len().max(1);
                    if let Some(t) = w.trade.get_mut(k) {
                        t.value = bytes.f64()?;
                    }
                }
                3 => {
                    let k = bytes.byte()? as usize % w.actors.len();
                    w.actors[k].policy = match bytes.byte()? % 8 {
                        0 => Policy::AlwaysRetaliate,
                        1 => Policy::AlwaysHedge,
                        2 => Policy::Bandwagon,
                        3 => Policy::TitForTat,
                        4 => Policy::Threshold { toughness: bytes.f64()? },
                        5 => Policy::ConcedeAndHedge,
                        6 => Policy::AlwaysConcede,
                        _ => Policy::Quantal,
                    };
                }
                4 => {
                    let k = bytes.byte()? as usize % w.actors.len();
                    w.actors[k].treaty_ally = !w.actors[k].treaty_ally;
                }
                5 => sc.rounds = u32::from(bytes.byte()?),
                6 => sc.rounds_per_year = u32::from(bytes.byte()?),
                7 => w.default_affinity = bytes.f64()?,
                8 => {
                    let k = bytes.byte()? as usize % w.blocs.len().max(1);
                    if let Some(b) = w.blocs.get_mut(k) {
                        b.veto_threshold = bytes.f64()?;
                        b.hazards.in_force = bytes.param()?;
                    }
                }
                _ => {
                    let k = bytes.byte()? as usize % w.actors.len();
                    let other = bytes.byte()? as usize % w.actors.len();
                    w.actors[k].name = w.actors[other].name.clone();
                }
            }
            Some(())
        })();
        if res.is_none() {
            break;
        }
    }
    let Ok(world) = World::from_scenario(&sc, "mutated.ron") else { return };
    let out = Sim::new().run(&world, 1, 0, world.rounds.min(3), None);
    assert!(out.metrics.iter().flatten().all(|x| x.is_finite()), "{:?}", out.metrics);
    assert!(out.actors.iter().all(|a| a.values.iter().all(|x| x.is_finite())));
});

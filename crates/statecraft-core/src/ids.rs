//! Dense ids of the model's entities: what every other module refers to things by.

/// Dense index of an actor, `0..n`, in the order of the scenario's `actors`.
pub type ActorId = usize;

/// Index of a parameter in [`crate::World::params`].
pub type ParamId = u32;

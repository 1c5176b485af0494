"""statecraft's model in Mesa: the independent second implementation for docking and benchmarks."""

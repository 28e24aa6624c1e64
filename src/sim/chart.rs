//! `--chart`: demand, capacity per model and throttles over time as an SVG (plotters, no system
//! libraries). One panel per table and kind (reads, writes of the table itself).

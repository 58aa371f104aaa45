namespace Gantry.Bench.Scheduler;

public sealed record RoundFigures(double P50Ms, double P99Ms, int Placed, int Rejected, int Waiting, long SnapshotBytes, long AllocatedPerRound, long PeakWorkingSet);

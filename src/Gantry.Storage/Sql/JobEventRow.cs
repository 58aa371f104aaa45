using Gantry.Core.Jobs;

namespace Gantry.Storage.Sql;

internal sealed class JobEventRow
{
    public long Seq { get; set; }
    public string JobId { get; set; } = "";
    public long At { get; set; }
    public string? FromState { get; set; }
    public string ToState { get; set; } = "";
    public string Reason { get; set; } = "";

    public JobEvent ToEvent() =>
        new(JobId, Time.FromDb(At), FromState is null ? null : Enum.Parse<JobState>(FromState), Enum.Parse<JobState>(ToState), Reason)
        {
            Seq = Seq,
        };
}

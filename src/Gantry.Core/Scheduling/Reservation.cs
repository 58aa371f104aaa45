namespace Gantry.Core.Scheduling;

/// <summary>Capacity held on <paramref name="Cluster"/> for a job that has waited too long, so smaller jobs cannot take it first.</summary>
public sealed record Reservation(string JobId, string Cluster, Resources.Resources Amount);

namespace Gantry.Sandbox;

/// <summary>A simulated node: its allocatable CPU and memory (Kubernetes quantities), GPUs and labels.</summary>
public sealed record SandboxNode(string Name, string Cpu, string Memory, int Gpu = 0, IReadOnlyDictionary<string, string>? Labels = null);

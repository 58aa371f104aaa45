namespace Gantry.Core.Resources;

/// <summary>
/// Which Kubernetes extended resources Gantry counts as GPUs. <see cref="Resources"/> has a single
/// GPU count, so vendors are pooled; the rule is the device-plugin convention
/// <c>&lt;vendor domain&gt;/gpu</c> (<c>nvidia.com/gpu</c>, <c>amd.com/gpu</c>). Other extended
/// resources (MIG slices, <c>gpu.intel.com/i915</c>, hugepages) are not scheduled on by Gantry.
/// </summary>
public static class GpuResource
{
    public static bool IsGpu(string resourceName) =>
        resourceName.EndsWith("/gpu", StringComparison.OrdinalIgnoreCase);
}

namespace Gantry.Core.Tuning.Tpe;

/// <summary>One parameter's kernels in a Parzen estimator: component k's draw and log-density. The last component is the prior.</summary>
internal interface IKernelDimension
{
    double Sample(int component, Random random);

    double LogPdf(int component, double value);
}

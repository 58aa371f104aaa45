using System.Diagnostics;
using Xunit;

namespace Gantry.Testing;

/// <summary>A test that runs real torch.distributed on Debian's interpreter; skipped, with the reason, when it cannot import torch.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(CanImportTorch);

    public TorchFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = $"{Python} cannot import torch; scripts/test.sh installs Debian's python3-torch when run as root.";
        }
    }

    private static bool CanImportTorch()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch.distributed"]) { RedirectStandardError = true, RedirectStandardOutput = true });
            if (process is null)
            {
                return false;
            }
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

using System.Diagnostics;
using Gantry.Backends.Local;
using Gantry.Testing;

namespace Gantry.Server.Tests.Local;

/// <summary>What is left of a job's process groups, read from /proc, and why a group is only the job's while a process of the job is in it.</summary>
public sealed class ProcessGroupTests
{
    [Theory]
    [InlineData("4242 (sh) S 1 4242 4242 0 -1", 4242)]
    [InlineData("77 (python3 -c (x) y) R 4242 4242 4242 0 -1", 4242)]
    [InlineData("77 (a) b) D 1 900 900 0", 900)]
    [InlineData("77 (sleep) Z 4242 4242 4242 0 -1", null)]
    [InlineData("77 (sleep) S 1", null)]
    [InlineData("garbage", null)]
    [InlineData("77 (x)", null)]
    public void The_group_of_a_live_process_is_the_third_field_after_its_command_name_and_a_zombie_has_none(string stat, int? expected)
    {
        Assert.Equal(expected, ProcessGroup.GroupOf(stat));
    }

    [Fact]
    public async Task A_group_is_live_while_a_process_runs_in_it_and_the_jobs_only_if_that_process_names_the_job()
    {
        // A group of its own, as every job's launcher gets: its id is the shell's pid.
        var start = new ProcessStartInfo("setsid", ["/bin/sh", "-c", "sleep 60 & wait"]) { RedirectStandardInput = true };
        start.Environment["GANTRY_JOB_ID"] = "job-a";
        using var shell = Process.Start(start)!;
        try
        {
            await Polling.UntilAsync(() => ProcessGroup.LiveGroupsOf("job-a", [shell.Id]).Count == 1, "the group to show");

            Assert.Equal([shell.Id], ProcessGroup.LiveGroups([shell.Id, shell.Id + 1_000_000]));
            // Another job whose group id is the same number (an id freed and given again) does not own these processes.
            Assert.Empty(ProcessGroup.LiveGroupsOf("job-b", [shell.Id]));
            Assert.Empty(ProcessGroup.LiveGroupsOf("job-", [shell.Id]));
            Assert.Empty(ProcessGroup.LiveGroupsOf("job-a", [shell.Id + 1_000_000]));
        }
        finally
        {
            _ = NativeMethods.Kill(-shell.Id, NativeMethods.SigKill);
        }
        await shell.WaitForExitAsync();
        await Polling.UntilAsync(() => ProcessGroup.LiveGroups([shell.Id]).Count == 0, "the group to be gone after SIGKILL");
        Assert.Empty(ProcessGroup.LiveGroupsOf("job-a", [shell.Id]));
    }

    [Fact]
    public async Task A_process_whose_main_thread_ended_while_another_thread_runs_is_live_though_its_stat_says_zombie()
    {
        // The main thread leaves (pthread_exit) and a second thread sleeps on: /proc/pid/stat shows Z,
        // as it does while a multithreaded process's last threads free its memory and close its files.
        const string script = "import threading, time, ctypes; threading.Thread(target=time.sleep, args=(60,), daemon=True).start(); "
            + "time.sleep(0.2); ctypes.CDLL(None).pthread_exit(None)";
        using var python = Process.Start(new ProcessStartInfo("setsid", ["/usr/bin/python3", "-c", script]) { RedirectStandardInput = true })!;
        try
        {
            await Polling.UntilAsync(() => File.ReadAllText($"/proc/{python.Id}/stat").Contains(") Z ", StringComparison.Ordinal), "the main thread to end");

            Assert.Equal([python.Id], ProcessGroup.LiveGroups([python.Id]));
        }
        finally
        {
            _ = NativeMethods.Kill(-python.Id, NativeMethods.SigKill);
        }
        await python.WaitForExitAsync();
        Assert.Empty(ProcessGroup.LiveGroups([python.Id]));
    }
}

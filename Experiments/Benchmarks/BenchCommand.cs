using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Experiments.Benchmarks;

/// <summary>`bench`: lookup and rebuild benchmarks; extra arguments go to BenchmarkDotNet (e.g. --filter *Lookup*).</summary>
internal static class BenchCommand
{
    public static int Run(string[] arguments)
    {
        // A short in-process job: a few minutes on two shared cores, no separate benchmark build.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        var switcher = BenchmarkSwitcher.FromTypes([typeof(LookupBenchmarks), typeof(RebuildBenchmarks), typeof(RoutingPathBenchmarks)]);
        var summaries = switcher.Run(arguments.Length == 0 ? ["--filter", "*"] : arguments, config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors) ? 1 : 0;
    }
}

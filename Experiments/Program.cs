using Experiments.Balance;
using Experiments.Benchmarks;
using Experiments.Cluster;
using Experiments.Faults;
using Experiments.Health;
using Experiments.Live;

// One mode per first argument; each mode lives in its own folder.
return args.FirstOrDefault() switch
{
    "balance" => BalanceCommand.Run(),
    "bench" => BenchCommand.Run(args[1..]),
    "a1" or "a2" or "a3" or "a4" or "all" => await LiveCommand.RunAsync(args),
    "health" => await HealthCommand.RunAsync(args),
    "fault-replica" => await FaultReplicaCommand.RunAsync(args),
    "cluster" => await ClusterCommand.RunAsync(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project Experiments -- <balance|bench|a1|a2|a3|a4|all|health|fault-replica|cluster> "
        + "[--target http://host:5000 | --embedded] [--out results/]");
    return 2;
}

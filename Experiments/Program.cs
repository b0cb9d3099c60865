using Experiments.Balance;
using Experiments.Benchmarks;

// One mode per first argument; each mode lives in its own folder.
return args.FirstOrDefault() switch
{
    "balance" => BalanceCommand.Run(),
    "bench" => BenchCommand.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project Experiments -- <balance|bench>");
    return 2;
}

using Spectre.Console;

namespace Experiments.Live.Output;

/// <summary>
/// Progress bars for load runs. On a terminal Spectre.Console draws live bars; when the output is
/// redirected (CI, make into a log) one line per finished run is printed instead of redraws.
/// </summary>
internal static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(string label, int total, Func<Action, Task<T>> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var started = DateTime.UtcNow;
            var result = await work(() => { });
            AnsiConsole.WriteLine($"  {label}: done in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
            return result;
        }

        T? value = default;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: total);
                value = await work(() => task.Increment(1));
                task.Value = total;
            });
        return value!;
    }
}

using System.Globalization;

namespace Experiments.Live;

/// <summary>Changes N through the public API only (/add and /rm), with predictable names S1, S2, ...</summary>
internal static class Scaling
{
    public static async Task<IReadOnlyList<string>> ScaleToAsync(BalancerApi api, int replicas)
    {
        var current = (await api.ListAsync()).Replicas;
        if (current.Count > replicas)
        {
            // The newest names go first, so a sweep returns to the layout it started from.
            var victims = current.OrderByDescending(NameOrder).Take(current.Count - replicas).ToArray();
            await ExpectOkAsync(api.RemoveAsync(victims.Length, victims), "/rm");
        }
        else if (current.Count < replicas)
        {
            var names = FreeNames(current, replicas - current.Count);
            await ExpectOkAsync(api.AddAsync(names.Length, names), "/add");
        }

        var after = (await api.ListAsync()).Replicas;
        return after.Count == replicas ? after : throw new InvalidOperationException($"asked for N={replicas}, the balancer lists {after.Count}");
    }

    /// <summary>The lowest S-numbers not in use.</summary>
    public static string[] FreeNames(IReadOnlyCollection<string> used, int count) =>
        Enumerable.Range(1, used.Count + count + 1).Select(number => $"S{number}")
            .Where(name => !used.Contains(name, StringComparer.OrdinalIgnoreCase)).Take(count).ToArray();

    public static async Task ExpectOkAsync(Task<ApiResponse> call, string what)
    {
        var response = await call;
        if (response.Status != 200)
        {
            throw new InvalidOperationException($"{what} answered {response.Status}: {response.Body}");
        }
    }

    private static (int, string) NameOrder(string name) =>
        name.Length > 1 && name[0] == 'S' && int.TryParse(name[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? (number, name)
            : (int.MaxValue, name);
}

namespace ReplicaServer;

/// <summary>
/// Picks the address Kestrel listens on. An explicit <c>--urls</c> / <c>ASPNETCORE_URLS</c> wins;
/// otherwise <c>PORT</c> (default 5000) on every interface, which is what a container needs.
/// </summary>
internal static class ReplicaListenAddress
{
    public const int DefaultPort = 5000;

    public static void Apply(WebApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            return;
        }

        var portText = builder.Configuration["PORT"];
        var port = DefaultPort;
        if (!string.IsNullOrEmpty(portText) && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOperationException($"PORT must be an integer between 1 and 65535, got '{portText}'.");
        }

        builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
    }
}

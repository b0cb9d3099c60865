namespace Balancer.Actors.Runtime.Docker;

/// <summary>
/// Settings of the Docker runtime. Bindable from configuration (for example a <c>Docker</c> section);
/// only <see cref="InstanceId"/> has no default, because it is what tells this balancer's containers
/// from anyone else's, and a restarted balancer must find its own again.
/// </summary>
public sealed record DockerRuntimeOptions
{
    /// <summary>The image the Docker runtime runs unless configured otherwise (docker/build-images.sh builds it).</summary>
    public const string DefaultImage = "lb-replica:latest";

    /// <summary>The network replicas join unless configured otherwise (the spec's name).</summary>
    public const string DefaultNetwork = "net1";

    /// <summary><c>localhost</c>, and <c>balancer</c>: the compose service name of the balancer on the network.</summary>
    public static readonly IReadOnlyList<string> DefaultReservedHostnames = ["localhost", "balancer"];

    /// <summary>The engine's API endpoint: <c>DOCKER_HOST</c> when set, else the local socket.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint();

    /// <summary>
    /// Engine API version to speak. Null (the default) sends unversioned requests, which every engine
    /// serves at its own current version, so old engines (20.10, API 1.41) and new ones alike work.
    /// </summary>
    public Version? ApiVersion { get; init; }

    /// <summary>The replica image.</summary>
    public string Image { get; init; } = DefaultImage;

    /// <summary>The user-defined bridge network replicas join, with their hostname as alias.</summary>
    public string Network { get; init; } = DefaultNetwork;

    /// <summary>Whether a missing network is created (labelled as managed) instead of failing the start.</summary>
    public bool CreateNetworkIfMissing { get; init; } = true;

    /// <summary>This balancer's identity, written on every container it starts (label <c>lb.instance</c>).</summary>
    public required string InstanceId { get; init; }

    /// <summary>The port the replica listens on inside its container.</summary>
    public int ContainerPort { get; init; } = 5000;

    /// <summary>
    /// Names a replica may not take because on the replica network they mean something else: the
    /// balancer's own host and compose service names. <c>localhost</c> (and <c>*.localhost</c>) and this
    /// machine's host name are refused whatever the list says; so is any name a container already on
    /// the network answers to. Configured names are added to the defaults (configuration binding appends).
    /// </summary>
    public IReadOnlyList<string> ReservedHostnames { get; init; } = DefaultReservedHostnames;

    /// <summary>The longest any single engine call may take before the engine counts as unavailable.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stopped replica gets to shut down after SIGTERM before the engine kills it.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Cluster mode (the hosting sets it): the listing, which only the scheduler (the supervisor singleton) asks
    /// for when it starts, first removes this instance's containers that no longer run, as a single balancer's
    /// start-up clean-up does. A node that joins then never touches a container the scheduler is starting.
    /// </summary>
    public bool RemoveExitedBeforeListing { get; init; }

    /// <summary>First wait before reconnecting a dropped event stream; it doubles up to <see cref="EventReconnectMaxDelay"/>.</summary>
    public TimeSpan EventReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two attempts to reconnect the event stream.</summary>
    public TimeSpan EventReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    public static Uri DefaultEndpoint()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return string.IsNullOrWhiteSpace(dockerHost) ? new Uri("unix:///var/run/docker.sock") : new Uri(dockerHost);
    }

    /// <summary>Rejects settings that would only fail later, deep inside a start or a listing.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(InstanceId) || !InstanceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"Docker InstanceId must be letters, digits, '-', '_' or '.', got '{InstanceId}'.");
        }

        if (string.IsNullOrWhiteSpace(Image) || string.IsNullOrWhiteSpace(Network))
        {
            throw new ArgumentException("Docker Image and Network must not be empty.");
        }

        if (ContainerPort is < 1 or > 65535)
        {
            throw new ArgumentException($"Docker ContainerPort must be between 1 and 65535, got {ContainerPort}.");
        }

        if (ReservedHostnames.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Docker ReservedHostnames must not contain an empty name.");
        }

        if (CallTimeout <= TimeSpan.Zero || StopGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException("Docker CallTimeout must be positive and StopGracePeriod not negative.");
        }
    }
}

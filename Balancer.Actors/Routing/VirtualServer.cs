namespace Balancer.Actors.Routing;

/// <summary>Virtual server <paramref name="VirtualIndex"/> (j) of server id <paramref name="ServerId"/> (i), placed on <paramref name="Slot"/>.</summary>
public readonly record struct VirtualServer(int Slot, string Hostname, int ServerId, int VirtualIndex);

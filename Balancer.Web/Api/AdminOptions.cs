namespace Balancer.Web.Api;

/// <summary>
/// The <c>Balancer:Admin</c> section (environment: <c>Balancer__Admin__Token</c>; <c>make deploy</c>
/// passes <c>LB_ADMIN_TOKEN</c>).
/// </summary>
public sealed record AdminOptions
{
    public const string SectionName = "Balancer:Admin";

    /// <summary>
    /// When set, POST /add and DELETE /rm need <c>Authorization: Bearer &lt;token&gt;</c>. Empty or
    /// unset (the default) leaves the admin API as open as the spec describes it.
    /// </summary>
    public string? Token { get; init; }
}

using System.Security.Cryptography;
using System.Text;

namespace Balancer.Web.Api;

/// <summary>
/// The optional bearer token of the admin API. With a token configured, a request that changes the
/// replica set (every admin method but GET: POST /add, DELETE /rm) without
/// <c>Authorization: Bearer &lt;token&gt;</c> is answered 401 before its body is read, so it changes
/// nothing; GET /rep and routing stay open. Without one, nothing is checked.
/// </summary>
internal sealed class AdminToken(AdminOptions options)
{
    private const string Scheme = "Bearer";

    // Compared as hashes: equal lengths, so the fixed-time comparison does not even reveal the token's length.
    private readonly byte[]? expectedHash = string.IsNullOrWhiteSpace(options.Token) ? null : Hash(options.Token.Trim());

    /// <summary>The handler of an admin endpoint serving <paramref name="method"/>, behind the token check when it changes something.</summary>
    public static Func<HttpContext, Task<IResult>> Guard(string method, Func<HttpContext, Task<IResult>> handler) =>
        HttpMethods.IsGet(method)
            ? handler
            : context => context.RequestServices.GetRequiredService<AdminToken>().Admits(context.Request)
                ? handler(context)
                : Task.FromResult(Unauthorized(context));

    public bool Admits(HttpRequest request)
    {
        if (expectedHash is null)
        {
            return true;
        }

        if (request.Headers.Authorization is not [{ } header]
            || header.Length <= Scheme.Length + 1
            || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || header[Scheme.Length] != ' ')
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Hash(header[(Scheme.Length + 1)..].Trim()), expectedHash);
    }

    private static IResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = Scheme;
        // The same answer for a missing and a wrong token: which one it was is nobody's business.
        return ApiResults.Failure(StatusCodes.Status401Unauthorized,
            $"'{context.Request.Method} {context.Request.Path}' needs the admin token: send 'Authorization: Bearer <token>'");
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

internal static class AdminTokenServiceCollectionExtensions
{
    /// <summary>Binds <see cref="AdminOptions"/> from <c>Balancer:Admin</c> and registers the check.</summary>
    public static IServiceCollection AddAdminToken(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(new AdminToken(configuration.GetSection(AdminOptions.SectionName).Get<AdminOptions>() ?? new AdminOptions()));
}

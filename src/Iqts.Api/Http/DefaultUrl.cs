namespace Iqts.Api.Http;

/// <summary>
/// Where the API listens when nothing says otherwise: <c>http://localhost:5080</c>. Any of <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>, <c>--urls</c> or a <c>Kestrel:Endpoints</c> section wins (the launch profile sets no
/// URL, so <c>dotnet run</c> honours them too).
/// </summary>
public static class DefaultUrl
{
    public const string Url = "http://localhost:5080";

    private static readonly string[] Keys = ["urls", "http_ports", "https_ports"];

    public static void Apply(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var told = Keys.Any(key => !string.IsNullOrEmpty(configuration[key]))
            || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!told)
        {
            builder.WebHost.UseUrls(Url);
        }
    }
}

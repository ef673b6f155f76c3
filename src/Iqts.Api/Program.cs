using Iqts.Api.Cli;
using Iqts.Api.Composition;
using Microsoft.Extensions.Options;

// Numbers, dates and casing never follow the host's locale: ICU is loaded for Unicode normalisation only.
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;

// Commands (migrate, tokens, openapi) share the app's configuration and services, not its web arguments.
var isCommand = Commands.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);
builder.Services.AddIqts(builder.Configuration);
DefaultUrl.Apply(builder);
builder.WebHost.ConfigureKestrel(o =>
{
    o.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
    // Header values are UTF-8 (an SRS user's name in X-Iqts-User may be "Zoë"); invalid UTF-8 is refused by Kestrel.
    o.RequestHeaderEncodingSelector = _ => System.Text.Encoding.UTF8;
});
if (isCommand)
{
    Commands.UseSilentServer(builder.Services);
    builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning"), new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning")]);
}

var app = builder.Build();
app.UseIqts();

if (isCommand)
{
    return await Commands.RunAsync(app, args, Console.Out, Console.Error);
}

try
{
    await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is MigrationChecksumException or OptionsValidationException)
{
    Console.Error.WriteLine($"Start-up stopped: {ex.Message}");
    return 1;
}

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;

using Iqts.Api.Cli;
using Iqts.Api.Data;
using Iqts.Api.Http;

// Commands (migrate, tokens, openapi) share the app's configuration and services, not its web arguments.
var isCommand = Commands.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);
builder.Services.AddIqts(builder.Configuration);
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
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
}
catch (MigrationChecksumException ex)
{
    Console.Error.WriteLine($"Start-up stopped: {ex.Message}");
    return 1;
}

await app.RunAsync();
return 0;

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;

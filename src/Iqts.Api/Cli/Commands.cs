using System.Globalization;
using Iqts.Api.Governance;
using Iqts.Api.Providers;
using Iqts.Api.Tokens;
using Iqts.Api.Tra;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace Iqts.Api.Cli;

/// <summary>
/// The administrative commands of the same executable:
/// <c>migrate</c>, <c>tokens create|list|revoke</c>, <c>openapi</c>, <c>seed</c> and <c>tra status|retry</c>.
/// </summary>
public static class Commands
{
    public static readonly string[] Names = ["migrate", "tokens", "openapi", "seed", "tra"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args, TextWriter output, TextWriter error) =>
        args is ["openapi", .. var rest]
            ? await WriteOpenApiAsync(app, rest.FirstOrDefault() ?? DefaultContractPath(), output)
            : await RunAsync(app.Services, args, output, error);

    /// <summary>The commands that need only the app's services (and so can be tested against a test host).</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var ct = CancellationToken.None;
        try
        {
            // Every command works on an up-to-date database.
            var applied = await services.GetRequiredService<Migrator>().MigrateAsync(ct);
            switch (args)
            {
                case ["migrate"]:
                    output.WriteLine($"Database is up to date ({applied} migration(s) applied now).");
                    return 0;
                case ["seed", .. var options]:
                    if (ParseOptions(options, error) is not { } seedOptions)
                    {
                        return 2;
                    }

                    if (!seedOptions.TryGetValue("ukprn", out var seedUkprn) || !ProviderRules.IsUkprn(seedUkprn)
                        || !int.TryParse(seedOptions.GetValueOrDefault("trainees", "100"), NumberStyles.None, CultureInfo.InvariantCulture, out var seedCount)
                        || !int.TryParse(seedOptions.GetValueOrDefault("providers", "1"), NumberStyles.None, CultureInfo.InvariantCulture, out var seedProviders)
                        || seedProviders is < 1 or > 1000 || seedOptions.GetValueOrDefault("reports", "true") != "true")
                    {
                        error.WriteLine("seed needs --ukprn (8 digits starting with 1) and takes --trainees N, --providers P (1-1000) and --reports true.");
                        error.WriteLine(Usage);
                        return 2;
                    }

                    return await Seed.RunAsync(services, seedUkprn, seedCount, seedProviders, seedOptions.ContainsKey("reports"), output);
                case ["tokens", "create", .. var options]:
                    return ParseOptions(options, error) is { } tokenOptions
                        ? await CreateTokenAsync(services.GetRequiredService<TokenIssuer>(), services.GetRequiredService<IDbConnectionFactory>(), tokenOptions, output, error)
                        : 2;
                case ["tokens", "list"]:
                    var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
                    foreach (var t in await services.GetRequiredService<IDbConnectionFactory>().ReadAsync(work => TokenRepository.ListAsync(work, ct), ct))
                    {
                        var state = t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= now ? "expired" : "active";
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{t.Id}  {t.Role,-12}  {t.Ukprn ?? t.InspectorateId?.ToString() ?? "-",-8}  {state,-7}  expires {t.ExpiresAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never",-10}  {t.Name}"));
                    }

                    return 0;
                case ["tokens", "revoke", var id]:
                    if (!Guid.TryParse(id, out var tokenId))
                    {
                        error.WriteLine("tokens revoke takes the token's id, as shown by 'tokens list'.");
                        return 2;
                    }

                    if (await services.GetRequiredService<TokenCache>().RevokeAsync(tokenId, ct))
                    {
                        output.WriteLine($"Revoked {tokenId}.");
                        return 0;
                    }

                    error.WriteLine($"No active token has id {tokenId}.");
                    return 1;
                case ["tra", "status"]:
                    return await TraStatusAsync(services, output, ct);
                case ["tra", "retry", var submission]:
                    if (!Guid.TryParse(submission, out var submissionId))
                    {
                        error.WriteLine("tra retry takes the submission's id, as shown by 'tra status' or GET /api/v1/tra-submissions?state=failed.");
                        return 2;
                    }

                    var retryAt = services.GetRequiredService<TimeProvider>().UtcNowMicros();
                    if ((await services.GetRequiredService<IDbConnectionFactory>().WriteAsync<bool>(async work => await TraOutbox.RetryAsync(work, submissionId, retryAt, ct), ct)).Value)
                    {
                        output.WriteLine($"Submission {submissionId} is pending again and is sent on the worker's next pass.");
                        return 0;
                    }

                    error.WriteLine($"No failed submission has id {submissionId}.");
                    return 1;
                default:
                    error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (Exception ex) when (ex is MigrationChecksumException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            error.WriteLine(ex.Message);
            return 1;
        }
    }

    /// <summary>Tokens expire after a year unless told otherwise, so a forgotten token does not live for ever.</summary>
    public const int DefaultExpiryDays = 365;

    public const string Usage = """
        Usage:
          dotnet run --project src/Iqts.Api -- migrate
          dotnet run --project src/Iqts.Api -- tokens create --role provider|tra|dfe|inspectorate [--ukprn 1NNNNNNN] [--inspectorate <id>] --name "SITS live" [--expires-days N (default 365)]
          dotnet run --project src/Iqts.Api -- tokens list
          dotnet run --project src/Iqts.Api -- tokens revoke <id>
          dotnet run --project src/Iqts.Api -- openapi [path]     (default openapi/iqts-api.v1.json)
          dotnet run --project src/Iqts.Api -- seed --ukprn 1NNNNNNN [--trainees 100] [--providers 1] [--reports true]   (made-up demo data)
          dotnet run --project src/Iqts.Api -- tra status          (the outbox to the TRA: counts, and every failed message)
          dotnet run --project src/Iqts.Api -- tra retry <id>      (send a failed message again, its backoff reset)
        """;

    /// <summary>How the outbox to the TRA stands: the mode, the count in each state, and each failed message with its code.</summary>
    private static async Task<int> TraStatusAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        var db = services.GetRequiredService<IDbConnectionFactory>();
        var configured = services.GetRequiredService<IConfiguration>()["Tra:BaseUrl"];
        output.WriteLine(string.IsNullOrWhiteSpace(configured) ? "Mode: pull-only (Tra:BaseUrl is not set)." : $"Mode: push to {configured}.");
        var status = await db.ReadAsync(work => TraOutbox.StatusAsync(work, ct), ct);
        var since = status.OldestPending is { } o ? string.Create(CultureInfo.InvariantCulture, $"; oldest pending from {o:u}") : "";
        output.WriteLine($"pending {status.Pending}, delivered {status.Delivered}, failed {status.Failed}{since}");
        var after = 0L;
        while (true)
        {
            var page = await db.ReadAsync(work => TraOutbox.ListAsync(work, SubmissionState.Failed, after, 100, ct), ct);
            foreach (var m in page.Take(100))
            {
                output.WriteLine($"failed  {m.Id}  {m.Kind,-12}  trainee {m.TraineeId}  {m.Ukprn}  {m.LastErrorCode}: {m.LastError}");
            }

            if (page.Count <= 100)
            {
                return 0;
            }

            after = page[99].Seq;
        }
    }

    private static async Task<int> CreateTokenAsync(TokenIssuer tokens, IDbConnectionFactory db, Dictionary<string, string> options, TextWriter output, TextWriter error)
    {
        options.TryGetValue("role", out var role);
        options.TryGetValue("ukprn", out var ukprn);
        options.TryGetValue("inspectorate", out var inspectorateText);
        Guid? inspectorate = Guid.TryParse(inspectorateText, out var inspectorateId) ? inspectorateId : null;
        var inspectorateKnown = inspectorate is { } known
            && await db.ReadAsync(work => InspectorateRepository.FindAsync(work, known, CancellationToken.None), CancellationToken.None) is not null;
        options.TryGetValue("name", out var name);
        int? days = DefaultExpiryDays;
        if (options.TryGetValue("expires-days", out var daysText))
        {
            if (!int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d is < 1 or > 3650)
            {
                error.WriteLine("--expires-days must be a whole number of days from 1 to 3650.");
                return 2;
            }

            days = d;
        }

        var problem = role switch
        {
            not ("provider" or "tra" or "dfe" or "inspectorate") => "--role must be provider, tra, dfe or inspectorate.",
            "provider" when !ProviderRules.IsUkprn(ukprn) => "--ukprn (8 digits starting with 1) is required for a provider token.",
            not "provider" when ukprn is not null => "--ukprn is only for provider tokens.",
            "inspectorate" when inspectorate is null => "--inspectorate (the inspectorate's id, from GET /api/v1/inspectorates) is required for an inspectorate token.",
            "inspectorate" when !inspectorateKnown => $"--inspectorate {inspectorate}: no inspectorate has that id.",
            not "inspectorate" when inspectorateText is not null => "--inspectorate is only for inspectorate tokens.",
            _ when string.IsNullOrWhiteSpace(name) || name.Length > 100 => "--name (at most 100 characters) is required: say which system uses the token.",
            _ => null,
        };
        if (problem is not null)
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return 2;
        }

        var (token, secret) = await tokens.CreateAsync(role!, ukprn, name!.Trim(), days, CancellationToken.None, inspectorate);
        output.WriteLine($"Token {token.Id} ({token.Role}{(ukprn is null ? "" : " " + ukprn)}{(inspectorate is null ? "" : " " + inspectorate)}, \"{token.Name}\") expires {token.ExpiresAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never"}.");
        output.WriteLine("Store it now: it is shown only once.");
        output.WriteLine(secret);
        return 0;
    }

    /// <summary>
    /// <c>--name value</c> pairs. A flag without a value (at the end, or followed by another flag), a repeated flag or
    /// a stray word is refused with a message naming it; null then, and the message is written.
    /// </summary>
    internal static Dictionary<string, string>? ParseOptions(string[] options, TextWriter error)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Length; i += 2)
        {
            var flag = options[i];
            if (!flag.StartsWith("--", StringComparison.Ordinal) || flag.Length == 2)
            {
                error.WriteLine($"'{flag}' is not an option: options are written --name value.");
                return null;
            }

            if (i + 1 >= options.Length || options[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error.WriteLine($"{flag} needs a value.");
                return null;
            }

            if (!parsed.TryAdd(flag[2..], options[i + 1]))
            {
                error.WriteLine($"{flag} is given twice.");
                return null;
            }
        }

        return parsed;
    }

    /// <summary><c>openapi/iqts-api.v1.json</c> at the repository root (dotnet run starts in the project folder).</summary>
    private static string DefaultContractPath()
    {
        var directory = new DirectoryInfo(Environment.CurrentDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Iqts.Api.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? Environment.CurrentDirectory, "openapi", "iqts-api.v1.json");
    }

    private static async Task<int> WriteOpenApiAsync(WebApplication app, string path, TextWriter output)
    {
        // Starting the app (on a server that never listens) registers the mapped endpoints with routing, where the API
        // explorer reads them; its hosted services read the database as they start, so it is migrated first.
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        await app.StartAsync();
        var json = await OpenApiText(app.Services);
        await app.StopAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, json);
        output.WriteLine($"Wrote {path}.");
        return 0;
    }

    /// <summary>The contract exactly as <c>/swagger/v1/swagger.json</c> serves it, with a final newline.</summary>
    public static async Task<string> OpenApiText(IServiceProvider services)
    {
        var document = services.GetRequiredService<ISwaggerProvider>().GetSwagger("v1");
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV3(new OpenApiJsonWriter(writer));
        return writer.ToString().ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>Commands that start the app do so on this server, which accepts no connections.</summary>
    public static void UseSilentServer(IServiceCollection services)
    {
        services.AddSingleton<IServer, SilentServer>();
        // A command never sends to TRS, even when `openapi` starts the app for a moment: the running API's worker does.
        services.PostConfigure<TraOptions>(o => o.BaseUrl = null);
    }

    private sealed class SilentServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}

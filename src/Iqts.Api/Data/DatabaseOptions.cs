using Microsoft.Extensions.Options;

namespace Iqts.Api.Data;

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}

/// <summary>Which engine stores the data: <c>Database:Provider</c> and <c>ConnectionStrings:Iqts</c>, validated at start-up.</summary>
public sealed class DatabaseOptions
{
    public const string DefaultSqlite = "Data Source=data/iqts.db";

    /// <summary><c>sqlite</c> (the default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary><c>ConnectionStrings:Iqts</c>; SQLite defaults to a file under <c>data/</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL: how many write transactions this process runs at once, the rest waiting their turn in order
    /// (<c>Database:Writers</c>; 0 for no limit). Defaults to twice the cores.
    /// </summary>
    public int Writers { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>
    /// PostgreSQL: each prepared statement planned once per connection, not again at every execution
    /// (<c>plan_cache_mode = force_generic_plan</c>, set as a connection opens; snapshots plan with their values);
    /// <c>Database:PlanOnce</c>, true by default, false for PostgreSQL's own choice (ADR 0007).
    /// </summary>
    public bool PlanOnce { get; set; } = true;

    public DatabaseEngine Engine => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase) ? DatabaseEngine.Postgres : DatabaseEngine.Sqlite;

    public string EffectiveConnectionString => string.IsNullOrWhiteSpace(ConnectionString) && Engine == DatabaseEngine.Sqlite ? DefaultSqlite : ConnectionString!;

    public static void AddTo(IServiceCollection services) => services.AddOptions<DatabaseOptions>()
        .Configure<IConfiguration>((options, configuration) =>
        {
            configuration.GetSection("Database").Bind(options);
            options.ConnectionString = configuration.GetConnectionString("Iqts");
        })
        .Validate(o => o.Provider.ToLowerInvariant() is "sqlite" or "postgres", "Database:Provider must be 'sqlite' or 'postgres'.")
        .Validate(o => o.Engine != DatabaseEngine.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
            "Database:Provider is 'postgres' but ConnectionStrings:Iqts is empty.")
        .Validate(o => o.Writers >= 0, "Database:Writers must be 0 (no limit) or more.")
        .ValidateOnStart();

    public static DatabaseOptions From(IServiceProvider services) => services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
}

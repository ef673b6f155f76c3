using Iqts.Api.Assessments;
using Iqts.Api.Awards;
using Iqts.Api.Benchmark;
using Iqts.Api.Bulk;
using Iqts.Api.Compliance;
using Iqts.Api.Eligibility;
using Iqts.Api.Governance;
using Iqts.Api.Health;
using Iqts.Api.Placements;
using Iqts.Api.Providers;
using Iqts.Api.Quality;
using Iqts.Api.Telemetry;
using Iqts.Api.ReferenceData;
using Iqts.Api.Reports;
using Iqts.Api.Sandbox;
using Iqts.Api.Tokens;
using Iqts.Api.Tra;
using Iqts.Api.Trainees;
using Iqts.Api.Webhooks;

namespace Iqts.Api.Composition;

/// <summary>The composition of the app, kept out of Program.cs so tests and commands share it: the one place that knows every feature.</summary>
public static class CompositionRoot
{
    public static IServiceCollection AddIqts(this IServiceCollection services, IConfiguration configuration)
    {
        TypeHandlers.Register();
        DatabaseOptions.AddTo(services);
        services.AddOptions<RateLimitingOptions>().Bind(configuration.GetSection("RateLimiting")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection("Sandbox"));
        services.AddOptions<BatchOptions>().Bind(configuration.GetSection("Batches")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BatchProgress>();
        services.AddSingleton<BatchWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchWorker>());
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection("Idempotency")).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IDbConnectionFactory>(sp => DatabaseOptions.From(sp) is var database && database.Engine == DatabaseEngine.Postgres
            ? PostgresConnectionFactory.Create(database.EffectiveConnectionString, database.Writers, database.PlanOnce)
            : new SqliteConnectionFactory(database.EffectiveConnectionString));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Migrator>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenCache>();
        services.AddHostedService<TokenRevocationWatcher>();
        services.AddSingleton<IdempotencySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencySweeper>());
        services.AddSingleton(new ReferenceDataSets(CodeLists.All));
        AddOperations(services);
        TraSetup.AddTo(services, configuration);
        WebhookSetup.AddTo(services, configuration);
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<TraHealthCheck>("tra", tags: [HealthEndpoints.ReadyTag]);

        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        // The versioned API explorer brings MVC's options along, and Swashbuckle then reads those: keep them the same.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => Json.Configure(o.JsonSerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.AddTransient<BearerTokenHandler>();
        services.AddAuthentication(o =>
        {
            o.AddScheme<BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
            o.DefaultScheme = BearerTokenHandler.SchemeName;
        });
        services.AddAuthorizationBuilder()
            // A provider's own records; an inspectorate token also passes for the reads marked [InspectorateReads], which
            // the inspection's window then bounds (ADR 0011).
            .AddPolicy(Roles.Provider, p => p.RequireAssertion(c => c.User.IsInRole(Roles.Provider)
                || (c.User.IsInRole(Roles.Inspectorate) && c.Resource is HttpContext http && http.GetEndpoint()?.Metadata.GetMetadata<InspectorateReadsAttribute>() is not null)))
            .AddPolicy(Roles.Tra, p => p.RequireRole(Roles.Tra))
            .AddPolicy(Roles.Dfe, p => p.RequireRole(Roles.Dfe));
        services.AddIqtsRateLimits();
        services.AddIqtsTelemetry(configuration);
        services.AddIqtsVersioning(configuration);
        services.AddIqtsOpenApi();
        return services;
    }

    /// <summary>
    /// One class per use case (ADR 0008), and the participants of a trainee's change, called in this order inside its
    /// transaction: the eligibility verdict and the award check first (they change the trainee, and the award check rests
    /// on the eligibility), then the status log, the award feed, the TRA, and last the events, which read all of it.
    /// </summary>
    private static void AddOperations(IServiceCollection services)
    {
        services.AddSingleton<TraineeChanges>();
        services.AddSingleton<ITraineeChangeParticipant, EligibilityRefresh>();
        services.AddSingleton<ITraineeChangeParticipant, AwardCheckRefresh>();
        services.AddSingleton<ITraineeChangeParticipant, StatusLog>();
        services.AddSingleton<ITraineeChangeParticipant, AwardFeedMove>();
        services.AddSingleton<ITraineeChangeParticipant, TraOutboxParticipant>();
        services.AddSingleton<ITraineeChangeParticipant, TraineeEvents>();

        services.AddSingleton<RegisterProvider>();
        services.AddSingleton<UpdateProvider>();
        services.AddSingleton<RegisterTrainee>();
        services.AddSingleton<UpdateTrainee>();
        services.AddSingleton<ChangeTraineeStatus>();
        services.AddSingleton<EvaluateEligibility>();
        services.AddSingleton<AddQualification>();
        services.AddSingleton<RemoveQualification>();
        services.AddSingleton<PutSuitabilityChecks>();
        services.AddSingleton<CreateSchool>();
        services.AddSingleton<UpdateSchool>();
        services.AddSingleton<AddPlacement>();
        services.AddSingleton<UpdatePlacement>();
        services.AddSingleton<RemovePlacement>();
        services.AddSingleton<PutPlacementPlan>();
        services.AddSingleton<SummarisePlacements>();
        services.AddSingleton<RecordAssessment>();
        services.AddSingleton<CheckAward>();
        services.AddSingleton<AwardIqts>();
        services.AddSingleton<RegisterWithEvidence>();
        services.AddSingleton<SubmitBatch>();
        services.AddSingleton<ReadBatch>();
        services.AddSingleton<RunBatch>();
        services.AddSingleton<GenerateTestData>();
        services.AddSingleton<ClearTestData>();
        services.AddSingleton<ChangeApproval>();
        services.AddSingleton<CreateInspectorate>();
        services.AddSingleton<UpdateInspectorate>();
        services.AddSingleton<BookInspection>();
        services.AddSingleton<UpdateInspection>();
        services.AddSingleton<InspectorateWindow>();
        services.AddSingleton<NotifyGovernanceChange>();
        services.AddSingleton<AnswerGovernanceChange>();
        services.AddSingleton<ReadPublicRegister>();
        services.AddSingleton<ReadEvidence>();
        services.AddSingleton<AddModerator>();
        services.AddSingleton<UpdateModerator>();
        services.AddSingleton<RecordEvaluation>();
        services.AddSingleton<ModerationWrite>();
        services.AddSingleton<AddMentor>();
        services.AddSingleton<UpdateMentor>();
        services.AddSingleton<RecordMentorMeeting>();
        services.AddSingleton<RecordModeration>();
        services.AddSingleton<UpdateModeration>();
        services.AddSingleton<SubmitReturn>();
        services.AddSingleton<ReadMonthlyReport>();
        services.AddSingleton<ReadAnnualReport>();
    }

    /// <summary>The classes whose handlers answer under /api/v1, in the order the contract lists them.</summary>
    private static readonly Type[] Features =
    [
        typeof(ProviderEndpoints), typeof(RegistrationEndpoints), typeof(TraineeEndpoints), typeof(EligibilityEndpoints), typeof(SchoolEndpoints), typeof(PlacementEndpoints),
        typeof(AssessmentEndpoints), typeof(AwardEndpoints), typeof(TraEndpoints), typeof(ReturnEndpoints), typeof(ReportEndpoints), typeof(WebhookEndpoints), typeof(BatchEndpoints), typeof(SandboxEndpoints),
        typeof(InspectionEndpoints), typeof(GovernanceEndpoints), typeof(EvidenceEndpoints), typeof(QualityEndpoints), typeof(MentorEndpoints),
    ];

    public static WebApplication UseIqts(this WebApplication app)
    {
        SandboxOptions.Check(app.Services);
        app.UseSandboxHeader();
        app.UseSupportedVersionsHeader();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit();
        // Only under /swagger: Swashbuckle's middleware parses its route template on every request it sees (3% of a
        // GET /trainees/{id}'s CPU in a profile under load).
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(o =>
            {
                o.SwaggerEndpoint("/swagger/v1/swagger.json", "iQTS API v1");
                o.DocumentTitle = "iQTS API";
            });
        });
        app.UseAddressLimits();
        app.UseAuthentication();
        app.UseTokenLimits();
        app.UseAuthorization();
        app.UseMiddleware<SrsUserHeader>();
        app.UseMiddleware<JsonBodyGate>();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapHealth();
        // Every API route needs a token; each feature narrows it to roles. Unknown routes stay 404.
        var v1 = app.MapVersion(ApiVersions.V1).DescribeProblems<RouteGroupBuilder, ApiProblem>();
        v1.AddEndpointFilterFactory(InspectorateWindow.Filter);
        foreach (var feature in Features)
        {
            v1.MapHandlers(feature);
        }
        v1.MapReferenceData();
        app.MapWebhookJwks();
        app.MapBaseline();
        return app;
    }
}

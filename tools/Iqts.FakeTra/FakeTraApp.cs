using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Iqts.FakeTra;

/// <summary>
/// The fake TRS: the v3 routes our client calls, answering as TRS does (../shared/anchors/tra-trs-v3.md): 200 on a new
/// TRN request and 409/10029 on a reused requestId, Pending then Completed, 404/10031 for an unknown request; 204 on a
/// route PUT, 404/10001 for an unknown TRN, 10043–10048 for unknown references, 10052 once Holds, 10055/10056; ASP.NET
/// validation problems (errors keyed by camelCase path, no errorCode) for a malformed body; a bearer key; X-Api-Version;
/// compact JSON, so a client that matches <c>"errorCode":10052</c> in the text, as DfE's Register does, works here too.
/// Under <c>/_fake</c>: its state and switches, for tests and local development.
/// </summary>
public static partial class FakeTraApp
{
    /// <summary>The minor versions TRS knows; no header means 20240101, an unknown one is a 404.</summary>
    private static readonly string[] Versions =
        ["20240101", "20240307", "20240412", "20240416", "20240606", "20240814", "20240912", "20240920", "20241010", "20250203", "20250327", "20250425",
         "20250627", "20250804", "20250905", "20260120", "20260224", "20260416", "20260515", "20260612"];

    /// <summary>TRS's route types: iQTS and a few others, so that a wrong id is told apart from an unknown one.</summary>
    private static readonly Guid IqtsRouteType = Guid.Parse("d0b60864-ab1c-4d49-a5c2-ff4bd9872ee1");

    private static readonly HashSet<string> Statuses = ["InTraining", "Holds", "Deferred", "DeferredForSkillsTest", "Failed", "Withdrawn", "UnderAssessment"];

    private static readonly HashSet<string> AgeTypes = ["Range", "FoundationStage", "FurtherEducation", "KeyStage1", "KeyStage2", "KeyStage3", "KeyStage4"];

    /// <summary>ISO 3166-1 alpha-2, as TRS's country list has them (with CY; without HESA's X* regions).</summary>
    private static readonly HashSet<string> Countries = [.. """
        AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR
        CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HN HR HT
        HU ID IE IL IM IN IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN
        MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB
        SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VG VI VN VU WF
        WS YE YT ZA ZM ZW
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication Build(string[] args, FakeTraState? state = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        state ??= new FakeTraState { ApiKey = builder.Configuration["FakeTra:ApiKey"] ?? "fake-tra-key" };
        builder.Services.AddSingleton(state);
        var app = builder.Build();

        var v3 = app.MapGroup("/v3").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Request.Headers["traceparent"].ToString() is { Length: > 0 } traceparent)
            {
                state.Traceparents.Enqueue(traceparent);
            }

            if (state.Down)
            {
                state.Record(new Exchange(http.Request.Method, http.Request.Path, 503, null));
                return Results.Problem(title: "Service Unavailable", statusCode: 503);
            }

            if (state.Delay > TimeSpan.Zero)
            {
                await Task.Delay(state.Delay, http.RequestAborted);
            }

            if (http.Request.Headers.Authorization.ToString() != $"Bearer {state.ApiKey}")
            {
                return Results.Problem(title: "Unauthorized", statusCode: 401);
            }

            if (state.TakeTooManyRequests())
            {
                state.Record(new Exchange(http.Request.Method, http.Request.Path, 429, null));
                http.Response.Headers.RetryAfter = state.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                http.Response.Headers["X-RateLimit-Limit"] = "1000";
                http.Response.Headers["X-RateLimit-Remaining"] = "0";
                return Results.Problem(title: "API calls quota exceeded", statusCode: 429);
            }

            var version = http.Request.Headers["X-Api-Version"].ToString() is { Length: > 0 } v ? v : "20240101";
            var minimum = http.Request.Method == "PUT" ? "20250627" : "20250425";
            return Versions.Contains(version) && string.CompareOrdinal(version, minimum) >= 0 ? await next(context) : Results.NotFound();
        });

        v3.MapPost("/trn-requests", CreateTrnRequest);
        v3.MapGet("/trn-requests", GetTrnRequest);
        v3.MapPut("/persons/{trn}/routes-to-professional-statuses/{reference}", SetRoute);

        app.MapGet("/_fake/state", () => Results.Json(new { state.Down, delayMs = state.Delay.TotalMilliseconds, trnRequests = state.TrnRequests, routes = state.Routes }));
        app.MapPost("/_fake/switches", (FakeSwitches s) =>
        {
            state.Down = s.Down ?? state.Down;
            state.Delay = s.DelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : state.Delay;
            state.PendingPolls = s.PendingPolls ?? state.PendingPolls;
            state.RetryAfterSeconds = s.RetryAfterSeconds ?? state.RetryAfterSeconds;
            state.AnswerTooManyRequests(s.TooManyRequests ?? 0);
            return Results.NoContent();
        });
        app.MapPost("/_fake/trn-requests/{requestId}/resolve", (string requestId) => state.Resolve(requestId) ? Results.NoContent() : Results.NotFound());
        app.MapPost("/_fake/trn-requests/{requestId}/close", (string requestId, string status) =>
            status is "Rejected" or "Dormant" && state.Close(requestId, status) ? Results.NoContent() : Results.NotFound());

        // Webhooks, as TRS sends them: its JWKS, an endpoint to send to, and the events our API takes.
        app.MapGet("/webhook-jwks", () => Results.Json(state.Webhooks.Jwks));
        app.MapPost("/_fake/webhooks", (WebhookEndpoint endpoint) =>
        {
            state.Webhooks.Endpoint = endpoint.Url;
            return Results.NoContent();
        });
        app.MapPost("/_fake/trn-requests/{requestId}/complete", async (string requestId) =>
            state.CompleteNow(requestId) is { } trn
                ? Results.Json(new { trn, webhook = await state.Webhooks.TrnRequestCompletedAsync(requestId, trn) })
                : Results.NotFound());
        app.MapPost("/_fake/persons/{trn}", (string trn) => { state.AddPerson(trn); return Results.NoContent(); });
        app.MapPost("/_fake/persons/{trn}/deactivate", async (string trn) => Results.Json(new { webhook = await state.Webhooks.PersonDeactivatedAsync(trn, null) }));
        return app;
    }

    public sealed record WebhookEndpoint(Uri Url);

    /// <summary>Switches, each left as it is when absent.</summary>
    public sealed record FakeSwitches(bool? Down, int? DelayMs, int? TooManyRequests, int? RetryAfterSeconds, int? PendingPolls);

    private sealed record TrnRequestBody(string? RequestId, PersonBody? Person, bool? IdentityVerified);

    private sealed record PersonBody(string? FirstName, string? MiddleName, string? LastName, DateOnly? DateOfBirth, string?[]? EmailAddresses,
        string? NationalInsuranceNumber, string? Gender);

    private sealed record AgeSpecialismBody(string? Type, int? From, int? To);

    private sealed record RouteBody(Guid? RouteToProfessionalStatusTypeId, string? Status, DateOnly? HoldsFrom, DateOnly? TrainingStartDate, DateOnly? TrainingEndDate,
        string[]? TrainingSubjectReferences, AgeSpecialismBody? TrainingAgeSpecialism, string? TrainingCountryReference, string? TrainingProviderUkprn,
        Guid? DegreeTypeId, bool? IsExemptFromInduction);

    private static async Task<IResult> CreateTrnRequest(HttpRequest request, FakeTraState state)
    {
        var (body, invalid) = await ReadAsync<TrnRequestBody>(request);
        if (invalid is not null)
        {
            return invalid;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(body!.RequestId) || body.RequestId.Length > 100 || !RequestIdPattern().IsMatch(body.RequestId))
        {
            errors["requestId"] = ["Request ID must be 1-100 characters of letters, digits, '_' and '-'."];
        }

        var person = body.Person;
        if (person is null)
        {
            errors["person"] = ["'Person' must not be empty."];
        }
        else
        {
            Text(errors, "person.firstName", person.FirstName, required: true);
            Text(errors, "person.middleName", person.MiddleName, required: false);
            Text(errors, "person.lastName", person.LastName, required: true);
            if (person.DateOfBirth is not { } dob || dob < new DateOnly(1940, 1, 1) || dob >= DateOnly.FromDateTime(DateTime.UtcNow))
            {
                errors["person.dateOfBirth"] = ["Date of birth must be from 1940-01-01 and before today."];
            }

            for (var i = 0; i < (person.EmailAddresses?.Length ?? 0); i++)
            {
                if (person.EmailAddresses![i] is not { Length: > 0 and <= 100 } email || !email.Contains('@', StringComparison.Ordinal))
                {
                    errors[$"person.emailAddresses[{i}]"] = ["Must be a valid email address."];
                }
            }

            if (person.Gender is not (null or "Male" or "Female" or "Other"))
            {
                errors["person.gender"] = ["Gender must be Male, Female or Other."];
            }
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        if (!state.TryCreate(body.RequestId!, person!.LastName!, out var record))
        {
            state.Record(new Exchange("POST", body.RequestId!, 409, null));
            return Error(409, 10029, "TRN request already created.");
        }

        state.Record(new Exchange("POST", body.RequestId!, 200, null));
        return Results.Json(Info(record));
    }

    private static IResult GetTrnRequest(string? requestId, HttpRequest request, FakeTraState state)
    {
        var record = requestId is null ? null : state.Read(requestId);
        // Before 20260416 a request TRS will not complete is an error; from it, a status.
        var closedUnsupported = record?.Closed is not null && string.CompareOrdinal(request.Headers["X-Api-Version"].ToString(), "20260416") < 0;
        state.Record(new Exchange("GET", requestId ?? "", record is null ? 404 : closedUnsupported ? 400 : 200, null));
        return record is null ? Error(404, 10031, "TRN request does not exist.")
            : closedUnsupported ? Error(400, 10062, "Unsupported TRN request status.")
            : Results.Json(Info(record));
    }

    private static object Info(TrnRequestRecord r) => new
    {
        requestId = r.RequestId,
        status = r.Closed ?? (r.Trn is null ? "Pending" : "Completed"),
        trn = r.Trn,
        potentialDuplicate = r.PotentialDuplicate,
        accessYourTeachingQualificationsLink = r.Trn is null ? null : $"https://fake-tra.invalid/aytq?trn_token={r.RequestId}",
    };

    private static async Task<IResult> SetRoute(string trn, string reference, HttpRequest request, FakeTraState state)
    {
        var key = $"{trn}/{reference}";
        var (body, invalid) = await ReadAsync<RouteBody>(request);
        if (invalid is not null)
        {
            state.Record(new Exchange("PUT", key, 400, null));
            return invalid;
        }

        var answer = Route(trn, reference, body!, state);
        state.Record(new Exchange("PUT", key, answer is IStatusCodeHttpResult { StatusCode: { } code } ? code : 204, body!.Status));
        return answer;
    }

    private static IResult Route(string trn, string reference, RouteBody body, FakeTraState state)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var errors = new Dictionary<string, string[]>();
        if (reference.Length > 200)
        {
            errors["reference"] = ["Reference must be at most 200 characters."];
        }

        if (body.RouteToProfessionalStatusTypeId is null)
        {
            errors["routeToProfessionalStatusTypeId"] = ["'Route To Professional Status Type Id' must not be empty."];
        }

        if (body.Status is null || !Statuses.Contains(body.Status))
        {
            errors["status"] = ["'Status' has a range of values which does not include the value given."];
        }
        else if (body.Status == "Holds" && (body.HoldsFrom is null || body.HoldsFrom > today))
        {
            errors["holdsFrom"] = ["Holds from date must be specified, and not in the future, when the status is Holds."];
        }
        else if (body.Status != "Holds" && body.HoldsFrom is not null)
        {
            errors["holdsFrom"] = ["Holds from date cannot be specified unless the status is Holds."];
        }

        if (body.TrainingStartDate is null)
        {
            errors["trainingStartDate"] = ["Training start date must be specified."];
        }

        if (body.TrainingEndDate is null || body.TrainingEndDate <= body.TrainingStartDate)
        {
            errors["trainingEndDate"] = ["Training end date must be specified and after the start date."];
        }

        if (body.TrainingSubjectReferences is { Length: > 3 })
        {
            errors["trainingSubjectReferences"] = ["At most 3 training subjects."];
        }

        if (body.TrainingAgeSpecialism is { } age)
        {
            var valid = age.Type is not null && AgeTypes.Contains(age.Type)
                && (age.Type == "Range" ? age is { From: >= 0 and <= 19, To: >= 0 and <= 19 } && age.To > age.From : age is { From: null, To: null });
            if (!valid)
            {
                errors["trainingAgeSpecialism"] = ["A Range needs from and to, each 0-19, with to after from; other types take neither."];
            }
        }

        if (string.IsNullOrEmpty(body.TrainingProviderUkprn))
        {
            errors["trainingProviderUkprn"] = ["Training provider UKPRN is required for this route."];
        }

        if (body.IsExemptFromInduction is not null)
        {
            errors["isExemptFromInduction"] = ["Is exempt from induction must not be specified for this route."];
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        // The handler's checks, in TRS's order.
        if (!state.PersonExists(trn))
        {
            return Error(404, 10001, "Person not found.");
        }

        if (body.RouteToProfessionalStatusTypeId != IqtsRouteType)
        {
            return Error(400, 10043, "Invalid route type.");
        }

        if (body.TrainingSubjectReferences?.Any(s => s.Length != 6 || !s.All(char.IsAsciiDigit)) == true)
        {
            return Error(400, 10045, "Invalid training subject.");
        }

        if (body.TrainingCountryReference is null || !Countries.Contains(body.TrainingCountryReference))
        {
            return Error(400, 10047, "Invalid training country.");
        }

        if (body.TrainingProviderUkprn is not { Length: 8 } ukprn || ukprn[0] != '1' || !ukprn.All(char.IsAsciiDigit))
        {
            return Error(400, 10048, "Invalid training provider.");
        }

        return state.SetRoute(trn, reference, body.Status!, body.HoldsFrom, body.TrainingCountryReference) switch
        {
            10052 => Error(400, 10052, "Route to professional status already awarded."),
            10055 => Error(400, 10055, "Cannot change Failed status."),
            10056 => Error(400, 10056, "Cannot change Withdrawn status to Deferred."),
            _ => Results.NoContent(),
        };
    }

    private static void Text(Dictionary<string, string[]> errors, string field, string? value, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["Must not be empty."];
        }
        else if (value is { Length: > 100 })
        {
            errors[field] = ["Must be 100 characters or fewer."];
        }
    }

    private static async Task<(T? Body, IResult? Invalid)> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Json);
            return body is null ? (default, Validation(new() { ["$"] = ["A non-empty request body is required."] })) : (body, null);
        }
        catch (JsonException ex)
        {
            return (default, Validation(new() { [ex.Path ?? "$"] = ["The JSON value could not be converted."] }));
        }
    }

    /// <summary>TRS's <c>ApiError</c>: a compact problem with a numeric errorCode.</summary>
    private static IResult Error(int status, int code, string title) =>
        Results.Json(new { title, detail = "", status, errorCode = code }, contentType: "application/problem+json", statusCode: status);

    /// <summary>ASP.NET's <c>ValidationProblemDetails</c>, as TRS's <c>[ApiController]</c> answers: no errorCode.</summary>
    private static IResult Validation(Dictionary<string, string[]> errors) =>
        Results.Json(new { type = "https://tools.ietf.org/html/rfc9110#section-15.5.1", title = "One or more validation errors occurred.", status = 400, errors },
            contentType: "application/problem+json", statusCode: 400);

    [GeneratedRegex("^[0-9a-z_-]+$", RegexOptions.IgnoreCase)]
    private static partial Regex RequestIdPattern();
}

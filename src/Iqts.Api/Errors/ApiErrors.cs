using System.Reflection;

namespace Iqts.Api.Errors;

/// <summary>
/// The error catalogue: every error the API can answer, one factory each, as teaching-record-system's
/// <c>ApiError.cs</c> does. Titles and details are written here and nowhere else; codes are stable and never renamed.
/// The README lists every kind with its status and meaning (a test keeps them equal).
/// </summary>
public static class ApiErrors
{
    private static readonly string[] ImmutableMessage = ["cannot be changed once set."];

    public const string ValidationDetail = "See errors: each key is the JSON path of a field, each message the rule it broke.";

    // Requests the API cannot read.
    private static readonly ErrorKind ValidationFailedKind = new("validation.failed", 400, "The request is not valid.",
        "A field breaks a rule; `errors` names each field and the rule.");
    private static readonly ErrorKind MalformedJsonKind = new("request.malformed_json", 400, "The body is not valid JSON.",
        "The body is not well-formed JSON (or not UTF-8, or nested too deeply).");
    private static readonly ErrorKind UnknownPropertyKind = new("request.unknown_property", 400, "The request is not valid.",
        "The body has a property the resource does not have.");
    private static readonly ErrorKind InvalidValueKind = new("request.invalid_value", 400, "The request is not valid.",
        "A value has the wrong type or is not one of the allowed values (an enum, a date, a query parameter).");
    private static readonly ErrorKind InvalidTextKind = new("request.invalid_text", 400, "The request is not valid.",
        "A string holds a control character, a bidirectional control (U+202A–U+202E, U+2066–U+2069) or invalid Unicode (an unpaired surrogate), or is over 10,000 characters.");
    private static readonly ErrorKind BodyMissingKind = new("request.body_missing", 400, "The request body is missing.",
        "The operation needs a JSON body and none was sent.");
    private static readonly ErrorKind ImmutableFieldKind = new("request.immutable_field", 400, "The request is not valid.",
        "A PATCH tries to change a field that cannot change.");
    private static readonly ErrorKind BadRequestKind = new("request.bad_request", 400, "The request is not valid.",
        "The request could not be read for another reason.");
    private static readonly ErrorKind BodyTooLargeKind = new("request.body_too_large", 413, "The request body is too large.",
        "The body is over 256 KiB.");
    private static readonly ErrorKind UnsupportedMediaTypeKind = new("request.unsupported_media_type", 415, "Unsupported media type.",
        "The body is not `application/json` (or `application/merge-patch+json` for a PATCH).");
    private static readonly ErrorKind InvalidCursorKind = new("pagination.invalid_cursor", 400, "The request is not valid.",
        "`cursor` is not a cursor this API issued.");

    // Routes, resources and versions.
    private static readonly ErrorKind NotFoundKind = new("resource.not_found", 404, "Not found.",
        "No resource with that id is visible to this token: an unknown id and another provider's id answer alike.");
    private static readonly ErrorKind RouteNotFoundKind = new("route.not_found", 404, "Not found.",
        "No route has that path.");
    private static readonly ErrorKind MethodNotAllowedKind = new("route.method_not_allowed", 405, "Method not allowed.",
        "The route does not take that HTTP method; `Allow` lists the ones it takes.");
    private static readonly ErrorKind PreconditionFailedKind = new("resource.precondition_failed", 412, "The resource has changed.",
        "`If-Match` does not match the current ETag.");

    // Callers.
    private static readonly ErrorKind MissingTokenKind = new("auth.missing_token", 401, "Authentication is required.",
        "No `Authorization: Bearer` token was sent.");
    private static readonly ErrorKind InvalidTokenKind = new("auth.invalid_token", 401, "Authentication is required.",
        "The token is malformed, unknown, expired or revoked.");
    private static readonly ErrorKind ForbiddenKind = new("auth.forbidden", 403, "This token may not call this operation.",
        "The token's role may not call the operation.");
    private static readonly ErrorKind RateLimitedKind = new("rate_limit.exceeded", 429, "Too many requests.",
        "Over the rate limit (per token, or per client address); retry after `Retry-After` seconds.");
    private static readonly ErrorKind TooManyAuthFailuresKind = new("auth.too_many_failures", 429, "Too many refused credentials.",
        "Too many refused tokens came from the client's address; until `Retry-After` seconds have passed, only tokens already known to be valid are checked.");
    private static readonly ErrorKind ServerErrorKind = new("server.error", 500, "An unexpected error occurred.",
        "A fault on our side; quote `traceId` when reporting it.");

    // Idempotency-Key.
    private static readonly ErrorKind IdempotencyKeyInvalidKind = new("idempotency.key_invalid", 400, "The Idempotency-Key is not valid.",
        "The `Idempotency-Key` header is empty, too long or not visible ASCII.");
    private static readonly ErrorKind IdempotencyKeyReusedKind = new("idempotency.key_reused", 422, "The Idempotency-Key was used for another request.",
        "The key was first sent with another method, path, media type or body.");
    private static readonly ErrorKind IdempotencyInFlightKind = new("idempotency.request_in_flight", 409, "The first request with this key is still running.",
        "A request with the same key is still running (or has just failed): repeat it shortly.");

    // Providers.
    private static readonly ErrorKind ProviderExistsKind = new("provider.already_exists", 409, "The provider already exists.",
        "A provider with that UKPRN is registered.");
    private static readonly ErrorKind ProviderNotApprovedKind = new("provider.not_approved", 422, "The provider is not approved for iQTS.",
        "The provider's iQTS approval is suspended or withdrawn, or it is not registered.");
    private static readonly ErrorKind TraineeCapReachedKind = new("provider.trainee_cap_reached", 422, "The provider has reached its trainee cap.",
        "Without DfE's permission a provider registers at most 200 trainees starting in one academic year (seed 001).");

    // Trainees.
    private static readonly ErrorKind TraineeExistsKind = new("trainee.already_exists", 409, "The trainee already exists.",
        "The `providerTraineeId` is registered; `matches` holds the trainee.");
    private static readonly ErrorKind PossibleDuplicateKind = new("trainee.possible_duplicate", 409, "The trainee may already be registered.",
        "The trainee looks like one already registered (DfE Register's rule); `matches` lists them.");
    private static readonly ErrorKind InvalidTransitionKind = new("trainee.invalid_transition", 409, "That status change is not possible.",
        "The trainee's status does not allow the change; `currentStatus` says what it is.");

    // Entry evidence (C1.1–C1.4).
    private static readonly ErrorKind QualificationLimitReachedKind = new("qualification.limit_reached", 422, "The trainee has too many qualifications.",
        "A trainee holds at most 30 qualifications; delete one that is wrong before adding another.");
    private static readonly ErrorKind QualificationInUseKind = new("qualification.in_use", 409, "Another qualification rests on this one.",
        "The degree is named by English evidence (`degreeQualificationId`); delete that first.");

    // Schools and placements (C2.2, C2.4, C3.2).
    private static readonly ErrorKind SchoolNotAvailableKind = new("school.not_available", 422, "The school takes no new placement.",
        "The school was removed as a placement school, or has no risk assessment that found it suitable (C2.4 v).");
    private static readonly ErrorKind PlacementOverlapsKind = new("placement.overlaps", 409, "The placement overlaps another.",
        "One trainee's placements do not overlap; `placementId` names the one it overlaps.");
    private static readonly ErrorKind PlacementLimitReachedKind = new("placement.limit_reached", 422, "The trainee has too many placements.",
        "A trainee has at most 20 placements.");

    // Assessments and the award (C2.1 v, C2.5 i, C3.4).
    private static readonly ErrorKind AssessmentLimitReachedKind = new("assessment.limit_reached", 422, "The trainee has too many assessments.",
        "A trainee has at most 100 assessments.");
    private static readonly ErrorKind AssessmentAlreadySupersededKind = new("assessment.already_superseded", 409, "The assessment has been corrected already.",
        "`supersedes` names an assessment another one has corrected; correct that one (`supersededBy`) instead.");
    private static readonly ErrorKind TraineeAwardedKind = new("trainee.awarded", 409, "The trainee has been awarded iQTS.",
        "The trainee's course, evidence, placements and assessments are final once awarded; only personal details may be corrected.");
    private static readonly ErrorKind AwardRulesNotMetKind = new("award.rules_not_met", 422, "iQTS cannot be awarded yet.",
        "At least one award rule is not met; `rules` lists every one (criterion, code, message).");

    // The TRA's acknowledgement of an award.
    private static readonly ErrorKind AwardAlreadyAcknowledgedKind = new("award.already_acknowledged", 409, "The award has been acknowledged already.",
        "The TRA acknowledged the award with another TRN or QTS date; an acknowledgement repeated with the same values answers 200.");
    private static readonly ErrorKind AwardTrnMismatchKind = new("award.trn_mismatch", 409, "The TRN is not the trainee's.",
        "The trainee already has a TRN (from its TRN request) and the acknowledgement names another.");

    // Webhooks and the TRA's webhooks to us.
    private static readonly ErrorKind SubscriptionLimitReachedKind = new("webhook.subscription_limit_reached", 422, "Too many webhook subscriptions.",
        "An owner (a provider, the TRA, DfE) has at most 10 webhook subscriptions.");
    private static readonly ErrorKind DeliveryNotFailedKind = new("webhook.delivery_not_failed", 409, "The delivery has not failed.",
        "Only a failed delivery can be retried; a pending one is retried by itself, a delivered one is done.");
    private static readonly ErrorKind TraWebhookNotEnabledKind = new("tra_webhook.not_enabled", 404, "The TRA's webhooks are not taken here.",
        "`Tra:WebhookJwksUrl` is not set, so the API takes no webhook from TRS and polls instead.");
    private static readonly ErrorKind TraWebhookSignatureInvalidKind = new("tra_webhook.signature_invalid", 401, "The webhook's signature does not verify.",
        "The message is not signed (RFC 9421) by a key in TRS's JWKS, its Content-Digest does not match the body, or the signature has expired.");
    private static readonly ErrorKind TraWebhookReplayedKind = new("tra_webhook.replayed", 409, "The webhook was received already.",
        "This signed message was taken before: a replay is refused (TRS's own retries are signed afresh and are taken).");

    // Governance: approval, inspections (issue 19).
    private static readonly ErrorKind ApprovalNeedsStepKind = new("provider.approval_needs_step", 422, "Approval changes only with its step, reason and date.",
        "`approvalStatus` cannot be changed by PATCH: record the change with `POST /providers/{ukprn}/approval-history`.");
    private static readonly ErrorKind ApprovalStepInvalidKind = new("provider.approval_step_invalid", 409, "That step does not lead there.",
        "The step does not move the provider's approval from its current status to the one asked for (seed 000); `currentStatus` says where it stands and the detail lists the steps open to it.");
    private static readonly ErrorKind MayNotAwardKind = new("provider.may_not_award", 422, "The provider may not award iQTS now.",
        "The provider's approval is suspended or withdrawn: its trainees' records may still be kept, but no award is made (ADR 0011).");
    private static readonly ErrorKind InspectorateExistsKind = new("inspectorate.already_exists", 409, "The inspectorate already exists.",
        "An inspectorate with that name is registered.");
    private static readonly ErrorKind InspectorateNotApprovedKind = new("inspection.inspectorate_not_approved", 422, "The inspectorate is not approved then.",
        "DfE's approval of the inspectorate does not cover the inspection's term or dates (seed 003).");
    private static readonly ErrorKind FirstInspectionByDfeKind = new("inspection.first_allocated_by_dfe", 422, "DfE allocates the first inspection.",
        "A provider books its own inspections only after DfE has allocated its first (seed 003).");
    private static readonly ErrorKind BookingTooLateKind = new("inspection.booking_too_late", 422, "The inspection is booked too late.",
        "A provider books an inspection at least two terms before the term it is in (seed 003).");
    private static readonly ErrorKind NoticeTooShortKind = new("inspection.notice_too_short", 422, "The provider is notified too late.",
        "The inspectorate notifies the provider at least 21 days (three weeks) before the inspection starts (seed 003).");
    private static readonly ErrorKind OutsideTermKind = new("inspection.outside_term", 422, "The inspection's dates are not in its term.",
        "An inspection starts and ends within its term (ADR 0011 gives the terms' dates).");
    private static readonly ErrorKind InspectionOutOfOrderKind = new("inspection.out_of_order", 409, "That is not recorded at this stage of the inspection.",
        "The field needs an earlier stage first: a grade after the last day, a final grade with its report, an action plan after the report, DfE's meetings after a grade 4.");
    private static readonly ErrorKind ReportAgreedKind = new("inspection.report_agreed", 409, "The inspection's report is agreed.",
        "Once the final grade and report are recorded, the inspection's dates, school and grades are final.");

    // Quality assurance: moderation exercises (issue 20).
    private static readonly ErrorKind ModerationPartnersTooFewKind = new("moderation.partners_too_few", 422, "Internal moderation needs two or more partners.",
        "An internal moderation exercise involves staff from two or more partners: the provider and a school, or several schools (seed 003).");
    private static readonly ErrorKind ModerationSampleIncompleteKind = new("moderation.sample_incomplete", 422, "The external sample misses trainees at risk.",
        "An external exercise's sample includes every trainee internal moderation found borderline or likely to fail in the year before it, unless awarded or withdrawn since (seed 003, ADR 0012); `missingTraineeIds` lists them.");

    // Batches.
    private static readonly ErrorKind CsvHeaderKind = new("batch.csv_header", 400, "The CSV's header is not the template's.",
        "The first line must name the template's columns (`GET /trainee-batches/template.csv`), each once, with every required one; the detail names what is wrong.");
    private static readonly ErrorKind CsvMalformedKind = new("batch.csv_malformed", 400, "The CSV cannot be read.",
        "A batch's CSV is not RFC 4180 (an unclosed quote, a quote inside an unquoted cell); the detail names the record.");
    private static readonly ErrorKind CsvEncodingKind = new("batch.csv_encoding", 400, "The CSV is not UTF-8.",
        "A batch's CSV must be UTF-8 (with or without a byte-order mark); save it as CSV UTF-8.");
    private static readonly ErrorKind TooManyRowsKind = new("batch.too_many_rows", 400, "The batch has too many rows.",
        "A batch has at most 10,000 rows; send a larger cohort as several batches.");
    private static readonly ErrorKind FormulaTextKind = new("batch.formula_text", 400, "A CSV cell would run as a formula.",
        "A text cell of a batch's CSV starts with =, +, -, @, a tab or a carriage return (CSV injection); reported per row in the batch's errors.");

    /// <summary>Every kind in the catalogue, by code.</summary>
    public static IReadOnlyList<ErrorKind> All { get; } = typeof(ApiErrors)
        .GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorKind))
        .Select(f => (ErrorKind)f.GetValue(null)!)
        .OrderBy(k => k.Code, StringComparer.Ordinal)
        .ToList();

    /// <summary>The kind a framework-written problem (a 404 route, a 405) gets by its status; null for a status the catalogue has no kind for.</summary>
    public static ErrorKind? ForStatus(int status) => status switch
    {
        400 => BadRequestKind,
        401 => MissingTokenKind,
        403 => ForbiddenKind,
        404 => RouteNotFoundKind,
        405 => MethodNotAllowedKind,
        412 => PreconditionFailedKind,
        413 => BodyTooLargeKind,
        415 => UnsupportedMediaTypeKind,
        429 => RateLimitedKind,
        >= 500 => ServerErrorKind,
        _ => null,
    };

    public static ApiError Validation(IReadOnlyDictionary<string, string[]> errors, ErrorKind? kind = null) =>
        (kind ?? ValidationFailedKind).With(ValidationDetail) with { Errors = errors };

    public static ApiError Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ErrorKind QueryValue => InvalidValueKind;

    public static ErrorKind Cursor => InvalidCursorKind;

    public static ApiError MalformedJson(string field, string message) => Field(MalformedJsonKind, field, message, message);

    public static ApiError UnknownProperty(string field) => Field(UnknownPropertyKind, field, "is not a property of this resource.");

    public static ApiError InvalidValue(string field, string rule = "has the wrong type or a value outside the allowed list (see the contract).") =>
        Field(InvalidValueKind, field, rule);

    public static ApiError InvalidText(string field, string rule) => Field(InvalidTextKind, field, rule);

    public static ApiError Immutable(IReadOnlyList<string> fields) =>
        ImmutableFieldKind.With($"{string.Join(", ", fields)} cannot be changed by PATCH.") with
        {
            Errors = fields.ToDictionary(f => f, _ => ImmutableMessage),
        };

    public static ApiError BodyMissing() => BodyMissingKind.With("This operation needs a JSON body.");

    public static ApiError BadRequest() => BadRequestKind.With("The request could not be read.");

    public static ApiError BodyTooLarge(long maxBytes) => BodyTooLargeKind.With($"Bodies are limited to {maxBytes / 1024} KiB.");

    public static ApiError UnsupportedMediaType(string expected) => UnsupportedMediaTypeKind.With($"Send the body as {expected}.");

    public static ApiError NotFound(string what) => NotFoundKind.With($"No {what} with that id exists for this caller.");

    public static ApiError ReferenceSetNotFound(IEnumerable<string> known) => NotFoundKind.With($"Known sets: {string.Join(", ", known)}.");

    public static ApiError RouteNotFound() => RouteNotFoundKind.With(null);

    /// <summary>
    /// A not-found of something a request names in a field (a nested placement's school, a batch row's trainee) is a
    /// wrong field of that request, not a 404 of the call; any other error passes through.
    /// </summary>
    public static ApiError NotFoundAsField(this ApiError error, string field, string message) => error.Kind == NotFoundKind ? Validation(field, message) : error;

    public static ApiError PreconditionFailed() =>
        PreconditionFailedKind.With("If-Match does not match the current ETag: read the resource again and reapply the change.");

    public static ApiError MissingToken() => MissingTokenKind.With("Send 'Authorization: Bearer <token>'.");

    public static ApiError TokenNotBearer() => InvalidTokenKind.With("The Authorization header must be 'Bearer <token>'.");

    public static ApiError TokenUnknown() => InvalidTokenKind.With("The token is unknown, expired or revoked.");

    public static ApiError Forbidden(string? role) => ForbiddenKind.With($"The operation is not open to the '{role}' role.");

    public static ApiError RateLimited(int perMinute) =>
        RateLimitedKind.With($"This token may make {perMinute} requests a minute; retry after the Retry-After header's seconds.");

    public static ApiError AddressRateLimited(int perMinute) =>
        RateLimitedKind.With($"A client address may make {perMinute} requests a minute; retry after the Retry-After header's seconds.");

    public static ApiError TooManyAuthFailures(int perMinute) =>
        TooManyAuthFailuresKind.With($"More than {perMinute} refused tokens a minute came from this address; retry after the Retry-After header's seconds.");

    public static ApiError ServerError(string? internals) =>
        ServerErrorKind.With(internals ?? "The error has been logged; quote the traceId when reporting it.");

    public static ApiError IdempotencyKeyInvalid(int maxLength) =>
        IdempotencyKeyInvalidKind.With($"Send 1 to {maxLength} visible ASCII characters, e.g. a UUID.");

    public static ApiError IdempotencyKeyReused() =>
        IdempotencyKeyReusedKind.With("This key was first sent with a different method, path or body. Use a new key for a new request.");

    public static ApiError IdempotencyInFlight() =>
        IdempotencyInFlightKind.With("Wait for it to finish, then repeat the request to receive its response.");

    public static ApiError IdempotencyFirstAttemptFailed() =>
        IdempotencyInFlightKind.With("The first request with this Idempotency-Key has just failed; send it again.");

    public static ApiError ProviderExists(string ukprn) =>
        ProviderExistsKind.With($"A provider with UKPRN {ukprn} is already registered; change it with PATCH /api/v1/providers/{ukprn}.");

    public static ApiError ProviderNotApproved() => ProviderNotApprovedKind.With(
        "Only a provider whose iQTS approval is 'approved' may register trainees; this provider's approval is suspended or withdrawn, or it is not registered.");

    public static ApiError TraineeCapReached(int cap) => TraineeCapReachedKind.With(
        $"Without DfE's permission a provider may register at most {cap} trainees starting in one academic year (1 August–31 July).");

    public static ApiError TraineeExists(DuplicateMatch existing) =>
        TraineeExistsKind.With($"providerTraineeId '{existing.ProviderTraineeId}' is already registered as trainee {existing.TraineeId}; change it with PATCH.")
            .WithData("matches", new[] { existing });

    public static ApiError PossibleDuplicate(IReadOnlyList<DuplicateMatch> matches) => PossibleDuplicateKind.With(
        "A trainee with the same date of birth and last name, starting in the same academic year, has the same first names or email. " +
        "If this is a different person, send the request again with ?confirmNotDuplicate=true.").WithData("matches", matches);

    public static ApiError InvalidTransition(string currentStatus, string action, IEnumerable<string> allowedFrom) =>
        InvalidTransitionKind.With($"The trainee is {currentStatus}; it can be {action} only when {string.Join(" or ", allowedFrom)}.")
            .WithData("currentStatus", currentStatus);

    public static ApiError QualificationLimitReached(int max) =>
        QualificationLimitReachedKind.With($"A trainee holds at most {max} qualifications.");

    public static ApiError QualificationInUse(string dependantId) =>
        QualificationInUseKind.With($"Qualification {dependantId} (education in English) names this degree; delete it first, then this one.");

    public static ApiError SchoolNotAvailable(string why) => SchoolNotAvailableKind.With($"The school {why}, so it takes no new placement.");

    public static ApiError PlacementOverlaps(string placementId, DateOnly start, DateOnly end) =>
        PlacementOverlapsKind.With($"The trainee is already placed from {start:yyyy-MM-dd} to {end:yyyy-MM-dd} (placement {placementId}).")
            .WithData("placementId", placementId);

    public static ApiError PlacementLimitReached(int max) => PlacementLimitReachedKind.With($"A trainee has at most {max} placements.");

    public static ApiError AssessmentLimitReached(int max) => AssessmentLimitReachedKind.With($"A trainee has at most {max} assessments.");

    public static ApiError AssessmentAlreadySuperseded(string assessmentId, string supersededBy) =>
        AssessmentAlreadySupersededKind.With($"Assessment {assessmentId} was corrected by {supersededBy}; a correction names the current assessment.")
            .WithData("supersededBy", supersededBy);

    public static ApiError TraineeAwarded(string what) =>
        TraineeAwardedKind.With($"The trainee has been awarded iQTS, so {what} can no longer change.").WithData("currentStatus", "awarded");

    /// <summary>The rules themselves (criterion, code, message) go in <c>rules</c>, which the award adds.</summary>
    public static ApiError AwardRulesNotMet(IReadOnlyCollection<string> codes) =>
        AwardRulesNotMetKind.With($"{codes.Count} award rule(s) not met: {string.Join("; ", codes)}.");

    public static ApiError AwardAlreadyAcknowledged(string trn, DateOnly qtsDate) =>
        AwardAlreadyAcknowledgedKind.With($"The award was acknowledged with TRN {trn} and QTS date {qtsDate:yyyy-MM-dd}.")
            .WithData("trn", trn).WithData("qtsDate", qtsDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    public static ApiError AwardTrnMismatch(string trn) =>
        AwardTrnMismatchKind.With($"The trainee's TRN is {trn}.").WithData("trn", trn);

    public static ApiError ApprovalNeedsItsStep() => ApprovalNeedsStepKind.With(
        "approvalStatus changes only with POST /api/v1/providers/{ukprn}/approval-history, which records the step, the reason and the date.");

    public static ApiError ApprovalStepInvalid(string step, string current, string asked, IEnumerable<string> open) =>
        ApprovalStepInvalidKind.With($"Step {step} does not move an approval from {current} to {asked}. From {current}: {string.Join(", ", open)}.")
            .WithData("currentStatus", current);

    public static ApiError MayNotAward(string status) => MayNotAwardKind.With($"The provider's iQTS approval is {status}: no award is made until it is approved again.");

    public static ApiError InspectorateExists(string name) => InspectorateExistsKind.With($"An inspectorate named '{name}' is registered.");

    public static ApiError InspectorateNotApproved(DateOnly from, DateOnly to, string when) =>
        InspectorateNotApprovedKind.With($"The inspectorate is approved from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}, which does not cover {when}.");

    public static ApiError FirstInspectionByDfe() => FirstInspectionByDfeKind.With("The provider has no inspection yet: DfE allocates the first.");

    public static ApiError BookingTooLate(string term, string earliest) =>
        BookingTooLateKind.With($"Booked today, {term} is less than two terms ahead; the earliest term that can be booked now is {earliest}.");

    public static ApiError NoticeTooShort(int days) => NoticeTooShortKind.With($"The notification is {days} day(s) before the start; at least 21 are needed.");

    public static ApiError OutsideTerm(string term, DateOnly from, DateOnly to) => OutsideTermKind.With($"{term} runs from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}.");

    public static ApiError InspectionOutOfOrder(string field, string needs) => Field(InspectionOutOfOrderKind, field, needs);

    public static ApiError ReportAgreed(string field) => Field(ReportAgreedKind, field, "cannot change once the final grade and report are recorded.");

    public static ApiError ModerationPartnersTooFew(int partners) =>
        Field(ModerationPartnersTooFewKind, "moderatorIds", $"must come from two or more partners for an internal exercise; they come from {partners}.");

    public static ApiError ModerationSampleIncomplete(IReadOnlyList<Guid> missing) =>
        Field(ModerationSampleIncompleteKind, "sample", $"must include every trainee internal moderation found borderline or likely to fail; {missing.Count} missing.")
            .WithData("missingTraineeIds", missing);

    public static ApiError CsvHeader(string detail) => CsvHeaderKind.With(detail);

    public static ApiError CsvMalformed(int record, string why) => CsvMalformedKind.With($"Record {record} of the CSV (the header is record 1) cannot be read: {why}");

    public static ApiError CsvEncoding() => CsvEncodingKind.With("The CSV is not UTF-8: save it as UTF-8 (\"CSV UTF-8\") and send it again.");

    public static ApiError TooManyRows(int max) => TooManyRowsKind.With($"A batch has at most {max:N0} rows.");

    public static string FormulaTextCode => FormulaTextKind.Code;

    private static ApiError Field(ErrorKind kind, string field, string rule, string? detail = null)
    {
        var key = string.IsNullOrEmpty(field) ? "$" : field;
        return kind.With(detail ?? $"'{key}' {rule}") with { Errors = new Dictionary<string, string[]> { [key] = [rule] } };
    }

    public static ApiError SubscriptionLimitReached(int max) => SubscriptionLimitReachedKind.With($"An owner has at most {max} webhook subscriptions; delete one first.");

    public static ApiError DeliveryNotFailed(string state) => DeliveryNotFailedKind.With($"The delivery is {state}; only a failed one can be retried.");

    public static ApiError TraWebhookNotEnabled() => TraWebhookNotEnabledKind.With("Set Tra:WebhookJwksUrl to take TRS's webhooks.");

    public static ApiError TraWebhookSignatureInvalid(string why) => TraWebhookSignatureInvalidKind.With(why);

    public static ApiError TraWebhookReplayed() => TraWebhookReplayedKind.With("This signed message was received already.");
}

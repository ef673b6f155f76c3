using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Iqts.Api.Composition;

/// <summary>
/// The OpenAPI contract: complete enough that SDKs generated from it need no hand edits. Its filters read what each
/// handler says of itself (<see cref="ProblemsAttribute"/>, <see cref="ETagAttribute"/>, …) and document every problem
/// with <see cref="ApiProblem"/>, which names types of several features; so it lives here, at the composition root.
/// </summary>
public static class ContractDocument
{
    public static IServiceCollection AddIqtsOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "iQTS API",
                Version = "v1",
                Description =
                    "The API of the international qualified teacher status (iQTS) programme: accredited English ITT providers " +
                    "register and manage iQTS trainees; the TRA takes award records; DfE manages providers. " +
                    "Errors are RFC 9457 problem+json with a stable errorCode. Lists use cursor pagination.",
            });
            options.SupportNonNullableReferenceTypes();
            options.NonNullableReferenceTypesAsRequired();
            options.UseAllOfToExtendReferenceSchemas();
            options.CustomSchemaIds(SchemaId);
            // Free-form JSON (an event's data): an object with any members.
            options.MapType<System.Text.Json.JsonElement>(() => new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalPropertiesAllowed = true });
            options.AddSecurityDefinition(BearerTokenHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "opaque (iqts_…)",
                Description = "An opaque token created with `tokens create`; send `Authorization: Bearer iqts_…`.",
            });
            options.OperationFilter<SecurityAndStandardProblems>();
            options.OperationFilter<MergePatchBodies>();
            options.OperationFilter<BatchBodies>();
            options.OperationFilter<RequestExamples>();
            options.OperationFilter<CsvResponses>();
            options.SchemaFilter<RequiredMeansNotNull>();
            options.SchemaFilter<WireOrder>();
            options.ParameterFilter<EnumQuery.ParameterFilter>();
            options.ParameterFilter<TimestampParameters>();
            var xml = Path.Combine(AppContext.BaseDirectory, $"{typeof(ContractDocument).Assembly.GetName().Name}.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }
        });
        return services;
    }

    /// <summary><c>Page&lt;ProviderResponse&gt;</c> becomes <c>ProviderResponsePage</c>; other types keep their names.</summary>
    private static string SchemaId(Type type) =>
        type.IsGenericType
            ? string.Concat(type.GetGenericArguments().Select(SchemaId)) + type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]
            : type.Name;

    /// <summary>
    /// A request member that is nullable in C# only so that its absence can be reported with all
    /// the other errors, but marked [Required], is required and non-null in the contract; so is a
    /// member a type names in <see cref="AlwaysPresentAttribute"/>.
    /// </summary>
    private sealed class RequiredMeansNotNull : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema concrete || concrete.Properties is null)
            {
                return;
            }

            var alwaysPresent = context.Type.GetCustomAttribute<AlwaysPresentAttribute>()?.Properties ?? [];
            foreach (var property in context.Type.GetProperties())
            {
                if (!property.IsDefined(typeof(RequiredAttribute), inherit: true) && !alwaysPresent.Contains(property.Name))
                {
                    continue;
                }

                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                if (concrete.Properties.TryGetValue(name, out var member) && member is OpenApiSchema memberSchema)
                {
                    concrete.Required ??= new HashSet<string>();
                    concrete.Required.Add(name);
                    if (memberSchema.Type is { } type)
                    {
                        memberSchema.Type = type & ~JsonSchemaType.Null;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Every operation that needs a token gets the bearer requirement and the 401/403/429/500
    /// problems; every operation gets the documented problem schema for 500.
    /// </summary>
    private sealed class SecurityAndStandardProblems : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            var secured = !anonymous && metadata.OfType<IAuthorizeData>().Any();
            operation.Responses ??= [];
            var path = context.ApiDescription.RelativePath ?? "";
            if (secured)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerTokenHandler.SchemeName, context.Document)] = [] }];
                Add(operation, context, "401", "No token, or an unknown, expired or revoked one.");
                Add(operation, context, "403", "The token's role may not call this operation.");
                Add(operation, context, "429", "Too many requests for this token; retry after the Retry-After header's seconds.");
            }
            else if (anonymous && path.StartsWith("api/", StringComparison.Ordinal))
            {
                Add(operation, context, "429", "Too many requests from this address; retry after the Retry-After header's seconds.");
            }

            // What any request can be answered, whatever the operation: the body gate checks query strings (400), the
            // size limit applies to every body (413), and Idempotency-Key may be invalid (400), reused (422) or in flight (409).
            if (path.StartsWith("api/", StringComparison.Ordinal))
            {
                Add(operation, context, "400", Describe("400"));
            }

            Add(operation, context, "413", Describe("413"));
            if (IsIdempotentPost(context, path, metadata))
            {
                Add(operation, context, "409", Describe("409"));
                Add(operation, context, "422", Describe("422"));
            }

            Add(operation, context, "500", "An unexpected error; quote traceId when reporting it.");
            AddHeaders(operation, context, metadata);
            foreach (var (code, response) in operation.Responses)
            {
                if (code.StartsWith('4') && response is OpenApiResponse concrete
                    && (string.IsNullOrEmpty(concrete.Description) || concrete.Description == ReasonPhrases.GetReasonPhrase(int.Parse(code, CultureInfo.InvariantCulture))))
                {
                    concrete.Description = Describe(code);
                }
            }
        }

        /// <summary>Idempotency-Key on every API POST, If-Match where honoured, ETag on the responses that carry it.</summary>
        private static void AddHeaders(OpenApiOperation operation, OperationFilterContext context, IList<object> metadata)
        {
            operation.Parameters ??= [];
            var path = context.ApiDescription.RelativePath ?? "";
            if (IsIdempotentPost(context, path, metadata))
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyMiddleware.Header,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "Makes the POST safe to retry: a repeat with the same key and body within 24 hours replays the first response; " +
                        "the same key with a different body is 422; a repeat while the first is running is 409.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                });
            }

            if (metadata.OfType<IfMatchAttribute>().Any())
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "If-Match",
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "The ETag from the last read; the change is refused with 412 if the resource has changed since.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }

            if (metadata.OfType<CacheableAttribute>().Any())
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "If-None-Match",
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "The ETag of the copy the client holds; 304 without a body when it is still current.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
                operation.Responses!["304"] = new OpenApiResponse { Description = "Not modified: the copy whose ETag was sent in If-None-Match is current." };
            }

            if (metadata.OfType<ETagAttribute>().Any() || metadata.OfType<CacheableAttribute>().Any())
            {
                foreach (var (code, response) in operation.Responses!)
                {
                    if (code.StartsWith('2') && response is OpenApiResponse concrete)
                    {
                        concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                        concrete.Headers["ETag"] = new OpenApiHeader
                        {
                            Description = "The version of the resource, for If-Match.",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        };
                    }
                }
            }
        }

        /// <summary>Every API POST takes Idempotency-Key, but those that keep nothing (<see cref="IdempotencyExemptAttribute"/>).</summary>
        private static bool IsIdempotentPost(OperationFilterContext context, string path, IList<object> metadata) =>
            context.ApiDescription.HttpMethod == "POST" && path.StartsWith("api/", StringComparison.Ordinal) && !metadata.OfType<IdempotencyExemptAttribute>().Any();

        private static void Add(OpenApiOperation operation, OperationFilterContext context, string status, string description)
        {
            if (operation.Responses!.ContainsKey(status))
            {
                return;
            }

            var schema = context.SchemaGenerator.GenerateSchema(typeof(ApiProblem), context.SchemaRepository);
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, IOpenApiMediaType> { [OpenApi.ProblemJson] = new OpenApiMediaType { Schema = schema } },
            };
        }

        private static string Describe(string status) => status switch
        {
            "400" => "The request is not valid: errors names each field and the rule it broke.",
            "404" => "Not found, or not visible to this token.",
            "409" => "Conflicts with the current state.",
            "412" => "If-Match does not match the current ETag.",
            "413" => "The body is over the size limit.",
            "415" => "The body is not JSON.",
            "422" => "Understood but refused by a rule.",
            _ => "A problem; see errorCode.",
        };
    }

    /// <summary>A <see cref="Timestamp"/> query parameter is an RFC 3339 date-time (the API explorer sees only a string it parses).</summary>
    private sealed class TimestampParameters : IParameterFilter
    {
        public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
        {
            if (parameter is OpenApiParameter concrete && context.ParameterInfo?.ParameterType is { } type
                && (Nullable.GetUnderlyingType(type) ?? type) == typeof(Timestamp))
            {
                concrete.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
            }
        }
    }

    /// <summary>
    /// The body of a batch (<see cref="BatchBodyAttribute"/>): a JSON array of its row type, and where it takes CSV, text
    /// with a header row. The handler reads the body itself, streaming, so the API explorer sees none.
    /// </summary>
    private sealed class BatchBodies : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<BatchBodyAttribute>().FirstOrDefault() is not { } marker)
            {
                return;
            }

            var content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Items = context.SchemaGenerator.GenerateSchema(marker.RowType, context.SchemaRepository),
                        MinItems = 1,
                        MaxItems = 10_000,
                    },
                },
            };
            if (marker.CsvExample is { } csv)
            {
                content["text/csv"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "UTF-8 CSV (RFC 4180), one trainee a line under the header of GET /trainee-batches/template.csv.",
                    },
                    Examples = new Dictionary<string, IOpenApiExample>
                    {
                        ["cohort"] = new OpenApiExample { Summary = "Two trainees of a cohort", Value = System.Text.Json.Nodes.JsonValue.Create(csv) },
                    },
                };
            }

            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
        }
    }

    /// <summary>Each <see cref="ExampleAttribute"/> of an operation as a named example of every media type its request body takes.</summary>
    private sealed class RequestExamples : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var examples = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ExampleAttribute>().ToList();
            if (examples.Count == 0 || operation.RequestBody?.Content is not { } content)
            {
                return;
            }

            foreach (var mediaType in content.Where(c => c.Key.Contains("json", StringComparison.Ordinal)).Select(c => c.Value).OfType<OpenApiMediaType>())
            {
                mediaType.Examples = examples.ToDictionary(e => e.Name, e => (IOpenApiExample)new OpenApiExample
                {
                    Summary = e.Summary,
                    Value = System.Text.Json.Nodes.JsonNode.Parse(e.Json),
                });
            }
        }
    }

    /// <summary>The 200 of an operation marked with <see cref="CsvAttribute"/> also comes as <c>text/csv</c>: text with a header row.</summary>
    private sealed class CsvResponses : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<CsvAttribute>().Any()
                || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse { Content: { } content })
            {
                return;
            }

            content["text/csv"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "RFC 4180 CSV with a header row (Accept: text/csv)." },
            };
        }
    }

    /// <summary>
    /// Properties in the order the serializer writes them (a derived type's own <c>[JsonPropertyOrder]</c> around the
    /// fields it inherits), so the contract reads like the JSON it describes.
    /// </summary>
    private sealed class WireOrder : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema { Properties.Count: > 1 } concrete
                || Json.Options.GetTypeInfo(context.Type) is not { Kind: System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object } info)
            {
                return;
            }

            var order = info.Properties.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i);
            concrete.Properties = concrete.Properties
                .OrderBy(p => order.GetValueOrDefault(p.Key, int.MaxValue))
                .ToDictionary(p => p.Key, p => p.Value);
        }
    }

    /// <summary>
    /// Builds each merge-patch body schema from its editable type's schema (every property optional and nullable) and
    /// points the operation's request body at it. The editable type's schema is generated aside, so it only reaches the
    /// contract if an operation uses it directly; the schemas it refers to (enums, nested records) join the contract.
    /// </summary>
    private sealed class MergePatchBodies : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<MergePatchAttribute>().FirstOrDefault() is not { } marker)
            {
                return;
            }

            if (!context.SchemaRepository.Schemas.ContainsKey(marker.SchemaName))
            {
                var aside = new SchemaRepository();
                var sourceId = ((OpenApiSchemaReference)context.SchemaGenerator.GenerateSchema(marker.Editable, aside)).Reference.Id!;
                foreach (var (id, schema) in aside.Schemas.Where(s => s.Key != sourceId))
                {
                    context.SchemaRepository.Schemas.TryAdd(id, schema);
                }

                var editable = (OpenApiSchema)aside.Schemas[sourceId];
                context.SchemaRepository.Schemas[marker.SchemaName] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalPropertiesAllowed = editable.AdditionalPropertiesAllowed,
                    Description = marker.Description,
                    Properties = editable.Properties!.ToDictionary(p => p.Key, p => Optional(p.Value)),
                };
            }

            var reference = new OpenApiSchemaReference(marker.SchemaName, context.Document);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    [MergePatch.MediaType] = new OpenApiMediaType { Schema = reference },
                    ["application/json"] = new OpenApiMediaType { Schema = reference },
                },
            };
        }

        /// <summary>The property, optional and nullable: in a merge patch null clears a field.</summary>
        private static IOpenApiSchema Optional(IOpenApiSchema property) => property switch
        {
            OpenApiSchemaReference reference => new OpenApiSchema { AllOf = [reference], Type = JsonSchemaType.Null, Description = reference.Description },
            OpenApiSchema schema => new OpenApiSchema
            {
                Type = (schema.Type ?? 0) | JsonSchemaType.Null,
                Format = schema.Format,
                Items = schema.Items,
                AllOf = schema.AllOf,
                Description = schema.Description,
                MaxLength = schema.MaxLength,
                Enum = schema.Enum,
            },
            _ => property,
        };
    }}

using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Shop.Application.Common;
using Shop.Domain.Common;
using Shop.Infrastructure.Persistence;

namespace Shop.Api.Errors;

/// <summary>
/// One place that turns exceptions into RFC 7807 responses. A PostgreSQL outage (<see cref="DatabaseFaults"/>) or a
/// <see cref="ServiceUnavailableException"/> is 503 with Retry-After. Unknown exceptions become a bare 500:
/// the stack trace is shown only in Development.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails, IHostEnvironment environment, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException v => new ValidationProblemDetails(
                v.Errors.GroupBy(e => CamelCase(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more validation errors occurred.",
            },
            BadHttpRequestException b => Problem(b.StatusCode, TitleOf(b.StatusCode), DescribeBadRequest(b)),
            DomainException d => Problem(StatusCodes.Status400BadRequest, "The request breaks a domain rule.", d.Message),
            NotFoundException n => Problem(StatusCodes.Status404NotFound, "The resource was not found.", n.Message),
            ConflictException c => Problem(StatusCodes.Status409Conflict, "Conflict.", c.Message),
            UnauthenticatedException u => Problem(StatusCodes.Status401Unauthorized, "Unauthorized.", u.Message),
            ForbiddenAccessException f => Problem(StatusCodes.Status403Forbidden, "Forbidden.", f.Message),
            ServiceUnavailableException s => Unavailable(httpContext, s.RetryAfter, s.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                Problem(499, "Client closed the request.", null),
            // PostgreSQL down or too slow (e.g. a write, or an uncached read): 503 + Retry-After, nothing was committed.
            _ when DatabaseFaults.IsOutage(exception) => Unavailable(httpContext, null, "The database is unavailable; nothing was changed."),
            _ => null,
        };

        if (problem is null)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "An unexpected error occurred.",
                environment.IsDevelopment() ? exception.ToString() : null);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Unavailable(HttpContext http, TimeSpan? retryAfter, string detail)
    {
        var seconds = (long)Math.Ceiling((retryAfter ?? DefaultRetryAfter).TotalSeconds);
        http.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable.", detail);
    }

    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    private static ProblemDetails Problem(int status, string title, string? detail) => new() { Status = status, Title = title, Detail = detail };

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type.",
        _ => "The request is malformed.",
    };

    /// <summary>
    /// What was wrong, without internals: ASP.NET Core's binding messages name the parameter and the value, which
    /// helps; a JSON reader's message names .NET types and byte positions, so only its JSON path is kept.
    /// </summary>
    private static string DescribeBadRequest(BadHttpRequestException b) => b switch
    {
        { InnerException: JsonException json } => DescribeJson(json),
        { StatusCode: StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType } => b.Message,
        _ when b.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal) => b.Message,
        _ => "The request is missing a required value, or its body is not the JSON this operation expects.",
    };

    private static string DescribeJson(JsonException json) =>
        "The body is not the JSON this operation expects" + (string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "." : $" (at {json.Path}).");

    private static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) ? name : string.Join('.', name.Split('.').Select(p => char.ToLowerInvariant(p[0]) + p[1..]));

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}

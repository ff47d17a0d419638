using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Shop.Application.Behaviours;

/// <summary>
/// Outermost behaviour, for commands (writes) only: logs each command's name and duration, and a failure once with its
/// exception type (a 409 conflict or a 403 is worth a line with the command's name). Reads are left out: they are
/// many, cheap and logged by ASP.NET Core's request log already, and an L1 hit should not pay for a timer.
/// </summary>
public sealed partial class LoggingBehaviour<TMessage, TResponse>(ILogger<LoggingBehaviour<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IBaseCommand
{
    private static readonly string RequestName = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            if (logger.IsEnabled(LogLevel.Debug)) LogHandled(RequestName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex)
        {
            if (logger.IsEnabled(LogLevel.Information)) LogFailed(RequestName, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Request} handled in {ElapsedMs:F2} ms")]
    private partial void LogHandled(string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} failed after {ElapsedMs:F2} ms with {Exception}")]
    private partial void LogFailed(string request, double elapsedMs, string exception);
}

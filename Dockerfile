# syntax=docker/dockerfile:1
# Build: docker build -t iqts-api .
# Run:   docker run -p 8080:8080 -v iqts-data:/app/data iqts-api
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Iqts.Api/Iqts.Api.csproj src/Iqts.Api/
RUN dotnet restore src/Iqts.Api/Iqts.Api.csproj
COPY db/ db/
COPY src/Iqts.Api/ src/Iqts.Api/
RUN dotnet publish src/Iqts.Api/Iqts.Api.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The SQLite default writes under /app/data; PostgreSQL needs only the variables below.
RUN mkdir -p /app/data && chown -R app:app /app/data
USER app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Database__Provider=sqlite \
    ConnectionStrings__Iqts="Data Source=/app/data/iqts.db"
EXPOSE 8080
# Orchestrators probe GET /health/live and GET /health/ready.
ENTRYPOINT ["dotnet", "Iqts.Api.dll"]

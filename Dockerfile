# Build: the release binary, with the offline query data in crates/store/.sqlx (no database
# needed at build time).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin vendorwatch

# Run: the binary alone, with the CA certificates it needs to read status pages over https.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/vendorwatch --create-home vendorwatch
COPY --from=build /src/target/release/vendorwatch /usr/local/bin/vendorwatch
USER vendorwatch
ENV VW_LISTEN=0.0.0.0:3000 VW_LOG_FORMAT=json
EXPOSE 3000
ENTRYPOINT ["vendorwatch"]
CMD ["serve"]

//! The workspace-wide pause: the page says alerts are held while paused and discarded on
//! resume, and counts the held ones.

use reqwest::StatusCode;
use vw_domain::ChannelId;

use super::{channel_id, count, flash, start, workspace_id};

#[tokio::test]
async fn pausing_holds_alerts_and_resuming_discards_them() {
    let app = start().await;
    let ada = app.member("ada@example.com", "Acme").await;
    let on = ada.get("/groups").await;
    assert_eq!(on.texts("#alerts-pause h2"), ["Alerts are on"]);
    assert!(on.texts("#alerts-pause").join(" ").contains("discards"));

    let paused = ada.submit("/groups", "/alerts/pause", &[]).await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    let page = ada.follow(&paused).await;
    assert!(flash(&page).contains("held, not sent"));
    assert_eq!(page.texts("#alerts-pause h2"), ["Alerts are paused"]);
    assert_eq!(page.texts("#held-count"), ["0"]);
    let text = page.texts("#alerts-pause").join(" ");
    assert!(text.contains("held, not sent"), "{text}");
    assert!(text.contains("discarded"), "{text}");

    // Two alerts arrive during the pause and are held (as the delivery job holds them).
    let acme = workspace_id(&app, "Acme").await;
    let ada_channel = ChannelId(channel_id(&app, "ada@example.com").await);
    for _ in 0..2 {
        let id = vw_store::deliveries::insert_test(&app.db.pool, acme, ada_channel)
            .await
            .unwrap();
        vw_store::deliveries::hold(&app.db.pool, id).await.unwrap();
    }
    let page = ada.get("/groups").await;
    assert_eq!(page.texts("#held-count"), ["2"]);
    assert!(
        page.texts("#alerts-pause")
            .join(" ")
            .contains("2 alerts are held")
    );
    assert!(
        page.texts("#alerts-pause button")
            .join(" ")
            .contains("discard the 2 held")
    );

    let resumed = ada.submit("/groups", "/alerts/resume", &[]).await;
    let page = ada.follow(&resumed).await;
    assert_eq!(
        flash(&page),
        "Alerts resumed. 2 held alerts discarded; new alerts are sent again."
    );
    assert_eq!(page.texts("#alerts-pause h2"), ["Alerts are on"]);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM deliveries WHERE state = 'discarded'"
        )
        .await,
        2
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM deliveries WHERE state = 'held'").await,
        0
    );
}

//! Typed ids for vendorwatch's own rows, so that a workspace id can never be passed where a
//! user id is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                $name(uuid::Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id!(
    /// A person who signs in.
    UserId
);
id!(
    /// A tenant: every tenant row carries one.
    WorkspaceId
);
id!(InvitationId);
id!(
    /// A vendor's status page, shared by every workspace.
    ProviderId
);
id!(
    /// Our id of an incident (the vendor's own id is a string kept beside it).
    IncidentId
);
id!(
    /// Our id of a maintenance.
    MaintenanceId
);
id!(
    /// One change a poll found, in the `events` outbox.
    EventId
);
id!(
    /// One claim of a provider's poll: a poll may write only while its lease is the current one.
    LeaseId
);
id!(
    /// A workspace watching a provider.
    MonitorId
);
id!(
    /// A request to add a monitor by a status page's URL, checked by a job.
    MonitorRequestId
);
id!(
    /// A workspace's token for the JSON API.
    ApiTokenId
);
id!(
    /// A workspace's notification group: who gets which alerts.
    GroupId
);
id!(
    /// One recipient or integration of a notification group.
    ChannelId
);
id!(
    /// One event (or test message) sent to one channel.
    DeliveryId
);

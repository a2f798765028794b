"""DATA: the field list of every Currents event type (Currents v10 storage schemas).

One string per event type, fields in the storage schema's order, each written as
``name`` (non-null string), ``name?`` (nullable string), ``name:int``, ``name:long?``,
``name:boolean?``, ``name:float``, ``name:string[]?`` (nullable array of strings) or
``name:string?[]?`` (nullable array whose items may be null).

Source: Braze's Avro schemas in Appboy/currents-examples @ d6a71e3 ("Currents v10"),
``sample-data/Avro/*.avro``, and the six retired types recovered from ``7a1f4e6^``
(BRAZE_CURRENTS.md §3.3). Only names, types and nullability are taken; the tests check this
table against those files whenever they are present. Field *meanings* and the Amplitude mapping
live in ``catalogue.py``.
"""

from __future__ import annotations

STORAGE_FIELDS: dict[str, str] = {
    "agentconsole.AgentExecuted": (
        "id invocation_id request_id duration:int prompt_tokens:int completion_tokens:int "
        "total_tokens:int cache_tokens:int reasoning_tokens:int time:long agent_id agent_name "
        "model_provider model_name provider_request_id? cache_hit:boolean "
        "llm_owned_by_customer:boolean is_error:boolean canvas_name? canvas_variation_name? "
        "canvas_step_name? canvas_id? canvas_variation_id? canvas_step_id? user_id? "
        "external_user_id? input? output? invocation_source? error?"
    ),
    "agentconsole.ToolInvocation": (
        "id tool_call_id duration:int time:long agent_id agent_name is_error:boolean tool_name "
        "tool_arguments invocation_source? request_id?"
    ),
    "users.RandomBucketNumberUpdate": (
        "id app_group_id? user_id external_user_id? time:int random_bucket_number:int "
        "prev_random_bucket_number:int?"
    ),
    "users.UserDeleteRequest": ("id user_id app_group_id? time:int"),
    "users.UserOrphan": (
        "id user_id external_user_id? device_id? app_group_id? app_id? time:int orphaned_by_id"
    ),
    "users.behaviors.CustomEvent": (
        "id user_id external_user_id? app_id? time:int timezone? platform? os_version? "
        "device_model? device_id? name properties ad_id? ad_id_type? "
        "ad_tracking_enabled:boolean? app_group_id?"
    ),
    "users.behaviors.InstallAttribution": (
        "id user_id external_user_id? time:int source app_group_id?"
    ),
    "users.behaviors.Location": (
        "id user_id external_user_id? app_id time:int latitude:float longitude:float "
        "altitude:float? ll_accuracy:float? alt_accuracy:float? platform? os_version? "
        "device_model? device_id? ad_id? ad_id_type? ad_tracking_enabled:boolean? "
        "app_group_id?"
    ),
    "users.behaviors.Purchase": (
        "id user_id external_user_id? app_id? time:int platform? os_version? device_model? "
        "device_id? product_id price:float currency properties ad_id? ad_id_type? "
        "ad_tracking_enabled:boolean? app_group_id?"
    ),
    "users.behaviors.Uninstall": (
        "id user_id external_user_id? device_id? app_id time:int app_group_id?"
    ),
    "users.behaviors.app.FirstSession": (
        "id user_id external_user_id? app_id time:int session_id gender? country? timezone? "
        "language? device_id? sdk_version? platform? os_version? device_model? app_group_id?"
    ),
    "users.behaviors.app.SessionEnd": (
        "id user_id external_user_id? app_id time:int duration:float? session_id platform? "
        "os_version? device_model? device_id? app_group_id?"
    ),
    "users.behaviors.app.SessionStart": (
        "id user_id external_user_id? app_id time:int session_id platform? os_version? "
        "device_model? device_id? app_group_id?"
    ),
    "users.behaviors.liveactivity.PushToStartTokenChange": (
        "id user_id external_user_id? time:int activity_attributes_type? push_to_start_token? "
        "device_id? sdk_version? ios_push_token_apns_gateway:int? "
        "push_token_state_change_type? app_group_id? app_id?"
    ),
    "users.behaviors.liveactivity.UpdateTokenChange": (
        "id user_id external_user_id? time:int activity_id? update_token? device_id? "
        "sdk_version? ios_push_token_apns_gateway:int? push_token_state_change_type? "
        "app_group_id? app_id?"
    ),
    "users.behaviors.pushnotification.TokenStateChange": (
        "id time:int app_id? time_ms:long? user_id platform? push_token? sdk_version? "
        "app_group_id? external_user_id? push_token_device_id? push_token_created_at:int? "
        "push_token_updated_at:int? web_push_token_user_auth? web_push_token_public_key? "
        "ios_push_token_apns_gateway:int? push_token_state_change_type? "
        "web_push_token_vapid_public_key? push_token_provisionally_opted_in:boolean? "
        "push_token_foreground_push_disabled:boolean?"
    ),
    "users.behaviors.subscription.GlobalStateChange": (
        "id user_id external_user_id? email_address? state_change_source? subscription_status "
        "channel? time:int timezone? app_group_id? app_id? campaign_id? campaign_name? "
        "message_variation_id? canvas_id? canvas_name? canvas_variation_id? "
        "canvas_variation_name? canvas_step_id? canvas_step_name? send_id? channel_identifier?"
    ),
    "users.behaviors.subscriptiongroup.StateChange": (
        "id user_id external_user_id? email_address? phone_number? app_id? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "subscription_group_id subscription_status channel? time:int timezone? send_id? "
        "state_change_source? app_group_id? dispatch_id? channel_identifier?"
    ),
    "users.campaigns.Conversion": (
        "id user_id external_user_id? app_id? time:int timezone? campaign_id campaign_name? "
        "message_variation_id? message_variation_name? send_id? conversion_behavior_index:int? "
        "conversion_behavior? app_group_id?"
    ),
    "users.campaigns.EnrollInControl": (
        "id user_id external_user_id? app_id? time:int timezone? campaign_id campaign_name? "
        "message_variation_id? message_variation_name? send_id? app_group_id?"
    ),
    "users.canvas.Conversion": (
        "id user_id external_user_id? app_id? time:int timezone? canvas_id canvas_name? "
        "canvas_variation_id canvas_variation_name? canvas_step_id? canvas_step_name? "
        "conversion_behavior_index:int? conversion_behavior? app_group_id?"
    ),
    "users.canvas.Entry": (
        "id user_id external_user_id? time:int timezone? canvas_id canvas_name? "
        "canvas_variation_id canvas_variation_name? canvas_step_id? canvas_step_name? "
        "in_control_group:boolean app_group_id?"
    ),
    "users.canvas.costep.Send": (
        "app_group_id? external_user_id? id time:int user_id dispatch_id? channel? "
        "canvas_variation_id? content_optimizer_step_id combination_token"
    ),
    "users.canvas.exit.MatchedAudience": (
        "id user_id external_user_id? app_group_id app_group_api_id? time:int canvas_id "
        "canvas_variation_id canvas_step_id? canvas_name? canvas_variation_name? "
        "canvas_step_name? canvas_api_id? canvas_variation_api_id? canvas_step_api_id?"
    ),
    "users.canvas.exit.PerformedEvent": (
        "id user_id external_user_id? app_group_id app_group_api_id? time:int canvas_id "
        "canvas_variation_id canvas_step_id? canvas_name? canvas_variation_name? "
        "canvas_step_name? canvas_api_id? canvas_variation_api_id? canvas_step_api_id?"
    ),
    "users.canvas.experimentstep.Conversion": (
        "id user_id external_user_id? app_id? time:int canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "experiment_step_id? experiment_split_id? experiment_split_name? "
        "conversion_behavior_index:int? conversion_behavior?"
    ),
    "users.canvas.experimentstep.SplitEntry": (
        "id user_id external_user_id? time:int canvas_id? canvas_name? canvas_variation_id? "
        "canvas_variation_name? experiment_step_id? canvas_step_id? canvas_step_name? "
        "experiment_split_id? experiment_split_name? in_control_group:boolean"
    ),
    "users.canvasstep.Progression": (
        "id user_id external_user_id? device_id? app_group_id? time:int canvas_id? "
        "canvas_variation_id? canvas_step_id? progression_type is_canvas_entry:boolean? "
        "exit_reason? canvas_entry_id next_step_id? canvas_name? canvas_variation_name? "
        "canvas_step_name?"
    ),
    "users.messages.banner.Abort": (
        "id user_id external_user_id? app_group_id? time:int app_id? campaign_id? "
        "message_variation_id? gender? country? timezone? language? device_id? sdk_version? "
        "platform? os_version? device_model? resolution? carrier? browser? ad_id? ad_id_type? "
        "ad_tracking_enabled:boolean? abort_type? abort_log? banner_placement_id? "
        "campaign_name? message_variation_name? canvas_name? canvas_step_name? "
        "canvas_variation_name? canvas_id? canvas_step_id? canvas_step_message_variation_id? "
        "canvas_variation_id?"
    ),
    "users.messages.banner.Click": (
        "id user_id external_user_id? app_group_id? time:int app_id? campaign_id? "
        "message_variation_id? gender? country? timezone? language? device_id? sdk_version? "
        "platform? os_version? device_model? resolution? carrier? browser? button_id? ad_id? "
        "ad_id_type? ad_tracking_enabled:boolean? banner_placement_id? campaign_name? "
        "message_variation_name? canvas_id? canvas_step_id? canvas_name? canvas_step_name? "
        "canvas_step_message_variation_id? canvas_variation_id? canvas_variation_name?"
    ),
    "users.messages.banner.Dismiss": (
        "app_group_id? external_user_id? id time:int user_id app_id? campaign_id? "
        "message_variation_id? gender? country? timezone? language? device_id? sdk_version? "
        "platform? os_version? device_model? resolution? carrier? browser? button_id? "
        "ad_id_type? ad_tracking_enabled:boolean? banner_placement_id? campaign_name? "
        "message_variation_name? canvas_id? canvas_step_id? canvas_name? canvas_step_name? "
        "canvas_step_message_variation_id? canvas_variation_id? canvas_variation_name? ad_id?"
    ),
    "users.messages.banner.Impression": (
        "id user_id external_user_id? app_group_id? time:int app_id? campaign_id? "
        "message_variation_id? gender? country? timezone? language? device_id? sdk_version? "
        "platform? os_version? device_model? resolution? carrier? browser? ad_id? ad_id_type? "
        "ad_tracking_enabled:boolean? banner_placement_id? campaign_name? "
        "message_variation_name? canvas_id? canvas_step_id? canvas_name? canvas_step_name? "
        "canvas_step_message_variation_id? canvas_variation_id? canvas_variation_name?"
    ),
    "users.messages.contentcard.Abort": (
        "abort_log? abort_type? app_group_id? campaign_id? campaign_name? canvas_id? "
        "canvas_name? canvas_step_id? canvas_step_message_variation_id? canvas_step_name? "
        "canvas_variation_id? canvas_variation_name? device_id? dispatch_id? external_user_id? "
        "id message_variation_id? message_variation_name? send_id? time:int timezone? user_id"
    ),
    "users.messages.contentcard.Click": (
        "id user_id external_user_id? content_card_id time:int app_id send_id? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? "
        "canvas_variation_id? canvas_step_id? canvas_variation_name? canvas_step_name? "
        "canvas_name? timezone? device_id? platform? os_version? device_model? ad_id? "
        "ad_id_type? ad_tracking_enabled:boolean? app_group_id?"
    ),
    "users.messages.contentcard.Dismiss": (
        "id user_id external_user_id? content_card_id time:int app_id send_id? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_name? timezone? device_id? platform? os_version? device_model? ad_id? "
        "ad_id_type? ad_tracking_enabled:boolean? app_group_id?"
    ),
    "users.messages.contentcard.Impression": (
        "id user_id external_user_id? content_card_id time:int app_id send_id? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_name? timezone? device_id? platform? os_version? device_model? ad_id? "
        "ad_id_type? ad_tracking_enabled:boolean? app_group_id?"
    ),
    "users.messages.contentcard.Send": (
        "id user_id external_user_id? content_card_id time:int send_id? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_name? timezone? device_id? message_extras? app_group_id?"
    ),
    "users.messages.email.Abort": (
        "abort_log? abort_type? app_group_id? campaign_id? campaign_name? canvas_id? "
        "canvas_name? canvas_step_id? canvas_step_message_variation_id? canvas_step_name? "
        "canvas_variation_id? canvas_variation_name? device_id? dispatch_id? email_address "
        "external_user_id? id ip_pool? message_variation_id? message_variation_name? send_id? "
        "time:int timezone? user_id"
    ),
    "users.messages.email.Bounce": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? email_address canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? sending_ip? ip_pool? bounce_reason? esp? from_domain? "
        "is_drop:boolean? app_group_id?"
    ),
    "users.messages.email.Click": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? email_address url? "
        "canvas_id? canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? user_agent? ip_pool? link_id? link_alias? esp? "
        "from_domain? is_amp:boolean? app_group_id? device_class? device_os? device_model? "
        "browser? mailbox_provider? is_suspected_bot_click:boolean? "
        "suspected_bot_click_reason:string[]?"
    ),
    "users.messages.email.Deferral": (
        "id time:int user_id external_user_id? app_group_id? send_id? campaign_id? "
        "message_variation_id? canvas_id? canvas_variation_id? canvas_step_id? "
        "canvas_step_message_variation_id? dispatch_id? email_address recipient_domain? esp? "
        "from_domain? ip_pool? sending_ip? timezone? deferral_reason? attempt_count:int? "
        "campaign_name? message_variation_name? canvas_name? canvas_variation_name? "
        "canvas_step_name?"
    ),
    "users.messages.email.Delivery": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? email_address canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? sending_ip? ip_pool? esp? from_domain? app_group_id?"
    ),
    "users.messages.email.MarkAsSpam": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? email_address canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? user_agent? ip_pool? esp? from_domain? app_group_id?"
    ),
    "users.messages.email.Open": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? email_address canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? user_agent? ip_pool? machine_open? esp? from_domain? "
        "is_amp:boolean? app_group_id? device_class? device_os? device_model? browser? "
        "mailbox_provider?"
    ),
    "users.messages.email.Retry": (
        "app_group_id? external_user_id? id time:int user_id retry_type? retry_log? send_id? "
        "dispatch_id? campaign_id? message_variation_id? canvas_id? canvas_variation_id? "
        "canvas_step_id? canvas_step_message_variation_id? gender? country? timezone? "
        "language? email_address ip_pool? campaign_name? message_variation_name? canvas_name? "
        "canvas_variation_name? canvas_step_name? device_id?"
    ),
    "users.messages.email.Send": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? email_address canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? ip_pool? message_extras? app_group_id? from_domain?"
    ),
    "users.messages.email.SoftBounce": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? email_address canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? sending_ip? ip_pool? bounce_reason? esp? from_domain? "
        "app_group_id?"
    ),
    "users.messages.email.Unsubscribe": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? email_address canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? ip_pool? app_group_id?"
    ),
    "users.messages.featureflag.Impression": (
        "id app_id? app_group_id? campaign_id? canvas_id? canvas_step_id? "
        "canvas_step_message_variation_id? canvas_variation_id? feature_flag_id_name? "
        "message_variation_id? external_user_id? device_id? time:int gender? browser? carrier? "
        "country? device_model? language? os_version? platform? resolution? sdk_version? "
        "timezone? user_id campaign_name? canvas_name? canvas_step_name? "
        "canvas_variation_name? message_variation_name?"
    ),
    "users.messages.inappmessage.Abort": (
        "abort_log? abort_type? ad_id? ad_id_type? ad_tracking_enabled:boolean? app_group_id? "
        "app_id? browser? campaign_id? campaign_name? canvas_id? canvas_name? canvas_step_id? "
        "canvas_step_message_variation_id? canvas_step_name? canvas_variation_id? "
        "canvas_variation_name? card_id? carrier? device_id? device_model? dispatch_id? "
        "external_user_id? id message_variation_id? message_variation_name? os_version? "
        "platform? resolution? send_id? time:int timezone? user_id version"
    ),
    "users.messages.inappmessage.Click": (
        "id user_id external_user_id? app_id time:int timezone? campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "card_id? platform? os_version? device_model? button_id? send_id? device_id? ad_id? "
        "ad_id_type? ad_tracking_enabled:boolean? app_group_id?"
    ),
    "users.messages.inappmessage.Impression": (
        "id user_id external_user_id? time:int timezone? app_id campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "card_id? platform? os_version? device_model? send_id? device_id? ad_id? ad_id_type? "
        "ad_tracking_enabled:boolean? app_group_id? message_extras? locale_key?"
    ),
    "users.messages.line.Abort": (
        "app_group_id? external_user_id? id time:int user_id abort_log? abort_type? "
        "campaign_id? canvas_step_id? canvas_step_message_variation_id? device_id? "
        "dispatch_id? line_channel_id line_channel_name message_variation_id? native_line_id "
        "send_id? subscription_group_id? timezone? campaign_name? canvas_step_name? "
        "canvas_variation_id? canvas_id?"
    ),
    "users.messages.line.Click": (
        "app_group_id? external_user_id? id time:int user_id timezone? native_line_id "
        "line_channel_id line_channel_name subscription_group_id? campaign_id? campaign_name? "
        "message_variation_id? canvas_id? canvas_variation_id? canvas_step_id? "
        "canvas_step_message_variation_id? canvas_step_name? dispatch_id? device_id? send_id? "
        "is_suspected_bot_click:boolean? short_url url user_agent?"
    ),
    "users.messages.line.InboundReceive": (
        "app_group_id? external_user_id? id time:int user_id campaign_id? campaign_name? "
        "canvas_id? canvas_step_id? canvas_step_message_variation_id? canvas_step_name? "
        "canvas_variation_id? device_id? dispatch_id? line_channel_id line_channel_name "
        "media_id? message_body? message_variation_id? native_line_id send_id? "
        "subscription_group_id? timezone?"
    ),
    "users.messages.line.Retry": (
        "app_group_id? external_user_id? id time:int user_id retry_log? retry_type? "
        "campaign_id? canvas_step_id? canvas_step_message_variation_id? device_id? "
        "dispatch_id? line_channel_id? line_channel_name? message_variation_id? "
        "native_line_id? send_id? subscription_group_id? timezone? campaign_name? "
        "canvas_step_name? canvas_variation_id? canvas_id?"
    ),
    "users.messages.line.Send": (
        "app_group_id? external_user_id? id time:int user_id campaign_id? campaign_name? "
        "canvas_id? canvas_step_id? canvas_step_message_variation_id? canvas_step_name? "
        "canvas_variation_id? device_id? dispatch_id? line_channel_id line_channel_name "
        "message_extras? message_variation_id? native_line_id send_id? subscription_group_id? "
        "timezone?"
    ),
    "users.messages.liveactivity.Outcome": (
        "id user_id external_user_id? time:int activity_id? activity_attributes_type? "
        "push_to_start_token? update_token? live_activity_event_type? "
        "live_activity_event_outcome? app_group_id? app_id?"
    ),
    "users.messages.liveactivity.Send": (
        "id user_id external_user_id? time:int activity_id? activity_attributes_type? "
        "push_to_start_token? update_token? live_activity_event_type? app_group_id? app_id?"
    ),
    "users.messages.pushnotification.Abort": (
        "abort_log? abort_type? app_group_id? app_id? campaign_id? campaign_name? canvas_id? "
        "canvas_name? canvas_step_id? canvas_step_message_variation_id? canvas_step_name? "
        "canvas_variation_id? canvas_variation_name? device_id? dispatch_id? external_user_id? "
        "id message_variation_id? message_variation_name? platform send_id? time:int timezone? "
        "user_id"
    ),
    "users.messages.pushnotification.Bounce": (
        "id user_id external_user_id? app_id time:int timezone? platform? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "send_id? dispatch_id? device_id? ad_id? ad_id_type? ad_tracking_enabled:boolean? "
        "push_token? app_group_id?"
    ),
    "users.messages.pushnotification.IosForeground": (
        "id user_id external_user_id? app_id time:int timezone? platform campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "send_id? dispatch_id? device_id? ad_id? ad_id_type? ad_tracking_enabled:boolean? "
        "app_group_id?"
    ),
    "users.messages.pushnotification.Open": (
        "id user_id external_user_id? time:int timezone? app_id campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_step_message_variation_id? platform? os_version? device_model? send_id? "
        "dispatch_id? device_id? button_action_type? button_string? ad_id? ad_id_type? "
        "ad_tracking_enabled:boolean? app_group_id?"
    ),
    "users.messages.pushnotification.Retry": (
        "app_group_id? external_user_id? id time:int user_id device_id? app_id? dispatch_id? "
        "send_id? campaign_id? message_variation_id? canvas_id? canvas_variation_id? "
        "canvas_step_id? canvas_step_message_variation_id? gender? country? timezone? "
        "language? platform retry_type? retry_log? campaign_name? message_variation_name? "
        "canvas_name? canvas_variation_name? canvas_step_name?"
    ),
    "users.messages.pushnotification.Send": (
        "id user_id external_user_id? app_id time:int timezone? platform campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "send_id? dispatch_id? device_id? ad_id? ad_id_type? ad_tracking_enabled:boolean? "
        "message_extras? push_token? app_group_id? locale_key?"
    ),
    "users.messages.rcs.Abort": (
        "app_group_id? external_user_id? id time:int user_id abort_log? abort_type? "
        "campaign_name? canvas_name? canvas_step_name? canvas_variation_name? "
        "message_variation_name? subscription_group_id? message_variation_id? "
        "canvas_variation_id? canvas_step_id? canvas_step_message_variation_id? campaign_id? "
        "canvas_id?"
    ),
    "users.messages.rcs.Click": (
        "app_group_id? external_user_id? id time:int user_id campaign_name? canvas_name? "
        "canvas_step_name? device_id? is_suspected_bot_click:boolean? message_variation_name? "
        "send_id? short_url? suspected_bot_click_reason:string[]? user_agent? "
        "user_phone_number? message_variation_id? canvas_variation_id? canvas_step_id? "
        "canvas_step_message_variation_id? interaction_type element_label? element_type? "
        "campaign_id? url? subscription_group_id? canvas_variation_name? canvas_id?"
    ),
    "users.messages.rcs.Delivery": (
        "app_group_id? external_user_id? id time:int user_id campaign_name? canvas_name? "
        "canvas_step_name? canvas_variation_name? device_id? dispatch_id? "
        "message_variation_name? send_id? subscription_group_id? to_phone_number "
        "message_variation_id? canvas_variation_id? canvas_step_id? "
        "canvas_step_message_variation_id? campaign_id? from_rcs_sender? canvas_id?"
    ),
    "users.messages.rcs.InboundReceive": (
        "app_group_id? external_user_id? id time:int user_id? action campaign_name? "
        "canvas_name? canvas_step_name? media_urls:string?[]? message_variation_name? send_id? "
        "user_phone_number subscription_group_id? message_body to_rcs_sender "
        "message_variation_id? canvas_step_id? canvas_variation_id? "
        "canvas_step_message_variation_id? campaign_id? canvas_variation_name? canvas_id?"
    ),
    "users.messages.rcs.Read": (
        "app_group_id? external_user_id? id time:int user_id campaign_name? canvas_name? "
        "canvas_step_name? canvas_variation_name? message_variation_name? to_phone_number "
        "message_variation_id? canvas_variation_id? canvas_step_id? "
        "canvas_step_message_variation_id? campaign_id? canvas_id?"
    ),
    "users.messages.rcs.Rejection": (
        "app_group_id? external_user_id? id time:int user_id campaign_name? canvas_name? "
        "canvas_step_name? canvas_variation_name? device_id? dispatch_id? error? "
        "from_rcs_sender? is_sms_fallback:boolean? message_variation_name? "
        "provider_error_code? send_id? subscription_group_id? message_variation_id? "
        "canvas_variation_id? canvas_step_id? to_phone_number campaign_id? "
        "canvas_step_message_variation_id? canvas_id?"
    ),
    "users.messages.rcs.Send": (
        "app_group_id? external_user_id? id time:int user_id campaign_name? canvas_name? "
        "canvas_step_name? canvas_variation_name? category? device_id? dispatch_id? "
        "from_rcs_sender? message_extras? message_variation_name? send_id? "
        "subscription_group_id? to_phone_number message_variation_id? canvas_variation_id? "
        "canvas_step_message_variation_id? canvas_step_id? campaign_id? canvas_id?"
    ),
    "users.messages.sms.Abort": (
        "abort_log? abort_type? app_group_id? campaign_id? campaign_name? canvas_id? "
        "canvas_name? canvas_step_id? canvas_step_message_variation_id? canvas_step_name? "
        "canvas_variation_id? canvas_variation_name? external_user_id? id "
        "message_variation_id? message_variation_name? subscription_group_id? time:int user_id"
    ),
    "users.messages.sms.CarrierSend": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? to_phone_number? "
        "subscription_group_id? from_phone_number? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "send_id? app_group_id?"
    ),
    "users.messages.sms.Delivery": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? to_phone_number? "
        "subscription_group_id? from_phone_number? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "send_id? app_group_id? is_sms_fallback:boolean?"
    ),
    "users.messages.sms.DeliveryFailure": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? to_phone_number? "
        "subscription_group_id? error? provider_error_code? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "send_id? app_group_id? is_sms_fallback:boolean?"
    ),
    "users.messages.sms.InboundReceive": (
        "id user_id? external_user_id? app_group_id time:int user_phone_number "
        "subscription_group_id? inbound_phone_number action message_body media_urls:string?[]? "
        "campaign_id? campaign_name? message_variation_id? message_variation_name? canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name?"
    ),
    "users.messages.sms.Rejection": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? to_phone_number? "
        "subscription_group_id? from_phone_number? error? provider_error_code? canvas_id? "
        "canvas_name? canvas_variation_id? canvas_variation_name? canvas_step_id? "
        "canvas_step_name? send_id? app_group_id? is_sms_fallback:boolean?"
    ),
    "users.messages.sms.Retry": (
        "app_group_id? external_user_id? id time:int user_id campaign_id? "
        "message_variation_id? canvas_id? canvas_variation_id? canvas_step_id? "
        "canvas_step_message_variation_id? subscription_group_id? retry_type? retry_log? "
        "campaign_name? message_variation_name? canvas_name? canvas_variation_name? "
        "canvas_step_name?"
    ),
    "users.messages.sms.Send": (
        "id user_id dispatch_id? external_user_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? to_phone_number? "
        "subscription_group_id? canvas_id? canvas_name? canvas_variation_id? "
        "canvas_variation_name? canvas_step_id? canvas_step_name? send_id? category? "
        "message_extras? app_group_id?"
    ),
    "users.messages.sms.ShortLinkClick": (
        "id user_id external_user_id? app_group_id? time:int timezone? campaign_id? "
        "campaign_name? message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? url "
        "short_url user_agent? user_phone_number? is_suspected_bot_click:boolean? "
        "suspected_bot_click_reason:string[]?"
    ),
    "users.messages.webhook.Abort": (
        "abort_log? abort_type? app_group_id? campaign_id? campaign_name? canvas_id? "
        "canvas_name? canvas_step_id? canvas_step_message_variation_id? canvas_step_name? "
        "canvas_variation_id? canvas_variation_name? device_id? dispatch_id? external_user_id? "
        "id message_variation_id? message_variation_name? send_id? time:int timezone? user_id"
    ),
    "users.messages.webhook.Failure": (
        "http_status_code:int? endpoint_url? app_group_id? campaign_id? canvas_id? "
        "canvas_step_id? canvas_step_message_variation_id? canvas_variation_id? "
        "content_length:int? dispatch_id? external_user_id? host? id message_variation_id? "
        "raw_response? retry_count:int? send_id? time:int url_path? user_id "
        "webhook_duration:int? webhook_failure_source? is_terminal:boolean? campaign_name? "
        "canvas_name? canvas_step_name? canvas_variation_name? message_variation_name?"
    ),
    "users.messages.webhook.Retry": (
        "app_group_id? external_user_id? id time:int user_id device_id? dispatch_id? send_id? "
        "campaign_id? message_variation_id? canvas_id? canvas_variation_id? canvas_step_id? "
        "canvas_step_message_variation_id? gender? country? timezone? language? retry_type? "
        "retry_log? campaign_name? message_variation_name? canvas_name? canvas_variation_name? "
        "canvas_step_name?"
    ),
    "users.messages.webhook.Send": (
        "id user_id external_user_id? time:int timezone? campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "send_id? message_extras? app_group_id? dispatch_id?"
    ),
    "users.messages.whatsapp.Abort": (
        "id time:long to_phone_number? user_id external_user_id? device_id? timezone? "
        "app_group_id? subscription_group_id? campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_step_message_variation_id? dispatch_id? abort_type? abort_log? bsuid?"
    ),
    "users.messages.whatsapp.Click": (
        "id user_id external_user_id? device_id? app_group_id? time:int timezone? campaign_id? "
        "message_variation_id? canvas_id? canvas_variation_id? canvas_step_id? "
        "canvas_step_message_variation_id? url short_url user_agent? user_phone_number? "
        "campaign_name? message_variation_name? canvas_name? canvas_variation_name? "
        "canvas_step_name?"
    ),
    "users.messages.whatsapp.Delivery": (
        "id time:long to_phone_number? user_id external_user_id? device_id? timezone? "
        "from_phone_number app_group_id? subscription_group_id? campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_step_message_variation_id? dispatch_id? send_id? flow_id? template_name? "
        "message_id? bsuid?"
    ),
    "users.messages.whatsapp.Failure": (
        "id time:long to_phone_number? user_id external_user_id? device_id? timezone? "
        "from_phone_number app_group_id? subscription_group_id? campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_step_message_variation_id? dispatch_id? provider_error_code "
        "provider_error_title send_id? message_id? template_name? flow_id? bsuid?"
    ),
    "users.messages.whatsapp.InboundReceive": (
        "id time:long user_phone_number? user_id? external_user_id? inbound_phone_number "
        "device_id? timezone? app_group_id? subscription_group_id? campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_step_message_variation_id? message_body? quick_reply_text? "
        "media_urls:string?[]? action catalog_id? product_id? flow_id? flow_response_json? "
        "message_id? in_reply_to? bsuid?"
    ),
    "users.messages.whatsapp.Read": (
        "id time:long to_phone_number? user_id external_user_id? device_id? timezone? "
        "from_phone_number app_group_id? subscription_group_id? campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_variation_name? canvas_step_id? canvas_step_name? "
        "canvas_step_message_variation_id? dispatch_id? send_id? template_name? message_id? "
        "flow_id? bsuid?"
    ),
    "users.messages.whatsapp.Retry": (
        "app_group_id? external_user_id? id time:int user_id to_phone_number? device_id? "
        "timezone? subscription_group_id? campaign_id? message_variation_id? canvas_id? "
        "canvas_variation_id? canvas_step_id? canvas_step_message_variation_id? dispatch_id? "
        "retry_type? retry_log? campaign_name? message_variation_name? canvas_name? "
        "canvas_variation_name? canvas_step_name? bsuid?"
    ),
    "users.messages.whatsapp.Send": (
        "id time:long to_phone_number? user_id external_user_id? device_id? timezone? "
        "from_phone_number app_group_id? subscription_group_id? campaign_id? campaign_name? "
        "message_variation_id? message_variation_name? canvas_id? canvas_name? "
        "canvas_variation_id? canvas_step_id? canvas_step_name? "
        "canvas_step_message_variation_id? dispatch_id? message_extras? send_id? flow_id? "
        "template_name? message_id? bsuid?"
    ),
    "users.profile.Update": (
        "app_group_id? external_user_id? id time:int time_ms:long user_id app_id? "
        "update_source archived:boolean? first_name? last_name? email_address? gender? "
        "phone_number? dob? timezone? home_city? country? language? custom_attributes?"
    ),
    "users.behaviors.app.NewsFeedImpression": (
        "id user_id external_user_id? app_id time:int platform? os_version? device_model? "
        "device_id?"
    ),
    "users.campaigns.Abort": (
        "abort_log? abort_type? app_group_id? campaign_id? campaign_name? canvas_id? "
        "device_id? dispatch_id? external_user_id? id message_variation_id? "
        "message_variation_name? send_id? time:int timezone? user_id"
    ),
    "users.canvas.Abort": (
        "abort_log? abort_type? app_group_id? canvas_id? canvas_name? canvas_step_id? "
        "canvas_step_message_variation_id? canvas_step_name? canvas_variation_id? "
        "canvas_variation_name? device_id? external_user_id? id time:int timezone? user_id"
    ),
    "users.messages.newsfeedcard.Abort": (
        "abort_log? abort_type? app_group_id? app_id? browser? campaign_name? canvas_name? "
        "canvas_step_name? canvas_variation_name? card_id? carrier? device_id? device_model? "
        "external_user_id? id message_variation_name? os_version? platform? resolution? "
        "time:int timezone? user_id"
    ),
    "users.messages.newsfeedcard.Click": (
        "id user_id external_user_id? app_id time:int timezone? card_id platform? os_version? "
        "device_model? device_id?"
    ),
    "users.messages.newsfeedcard.Impression": (
        "id user_id external_user_id? app_id time:int timezone? card_id platform? os_version? "
        "device_model? device_id?"
    ),
}

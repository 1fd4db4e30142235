/*
 * configurator.c — a profile's configurators (layer: session): the ordered
 * list of callbacks every new session of the profile goes through before
 * qv_session_new returns, and running them.
 */
#include "session/session_int.h"

qv_status qv_profile_add_configurator(qv_profile *profile, const qv_configurator *configurator,
                                      qv_error *err)
{
    if (profile == NULL || configurator == NULL || configurator->configure == NULL)
        return base_error_set(err, QV_MISUSE,
                              "qv_profile_add_configurator: profile and a configurator with a "
                              "configure function are required");
    if (atomic_load(&profile->sealed))
        return base_error_set(err, QV_MISUSE,
                              "qv_profile_add_configurator: a session was created from the "
                              "profile; it is immutable now");
    qv_configurator *grown = base_realloc(profile->configurators,
                                          (size_t)(profile->n_configurators + 1) * sizeof *grown);
    if (grown == NULL)
        return base_error_nomem(err, "configurator");
    grown[profile->n_configurators++] = *configurator;
    profile->configurators = grown;
    return QV_OK;
}

qv_status session_configure(qv_session *session, qv_error *err)
{
    const qv_profile *profile = session->profile;
    session->configuring = true;
    qv_status st = QV_OK;
    for (int32_t i = 0; i < profile->n_configurators && st == QV_OK; i++) {
        const qv_configurator *c = &profile->configurators[i];
        if (err != NULL)
            qv_error_clear(err);
        st = c->configure(session, c->user_data, err);
        /* A configurator that fails without saying why still gets a message. */
        if (st != QV_OK && err != NULL && err->code == QV_OK)
            base_error_set(err, st, "configurator %d of the profile failed (%s)", (int)i + 1,
                           qv_status_name(st));
    }
    session->configuring = false;
    return st;
}

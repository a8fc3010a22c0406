package throttle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Usage is a usage plan's per-day usage, shaped like AWS's GetUsage answer.
type Usage struct {
	// UsagePlanID is the plan.
	UsagePlanID string `json:"usagePlanId"`
	// StartDate and EndDate are the first and last day, as YYYY-MM-DD (UTC).
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
	// Items maps each key id to one [used, remaining] pair per day, in date
	// order. remaining is the quota left in that day's period at the end of
	// the day, or -1 when the plan has no quota.
	Items map[string][][2]int64 `json:"items"`
}

// QuotaStatus is where a key stands in its plan's current quota period.
type QuotaStatus struct {
	// UsagePlanID and KeyID name the plan and the key.
	UsagePlanID string `json:"usagePlanId"`
	KeyID       string `json:"keyId"`
	// Limit is the period's quota (less the offset in the initial period).
	Limit int64 `json:"limit"`
	// Used is how many requests the quota admitted in the period so far.
	Used int64 `json:"used"`
	// Remaining is Limit - Used, never below 0.
	Remaining int64 `json:"remaining"`
	// PeriodStart and PeriodEnd bound the current period (end exclusive, UTC).
	PeriodStart time.Time `json:"periodStart"`
	PeriodEnd   time.Time `json:"periodEnd"`
}

// errBadQuery marks a usage query the caller got wrong.
var errBadQuery = errors.New("throttle: bad usage query")

// maxUsageDays bounds a Usage query, as AWS bounds GetUsage to 90 days.
const maxUsageDays = 90

// Usage returns the per-day usage of the plan planID from the day of start
// to the day of end (inclusive, UTC), for keyID or, when keyID is empty,
// for every key in the plan.
func (p *Plans) Usage(ctx context.Context, planID string, start, end time.Time, keyID string) (Usage, error) {
	plan, err := p.reg.Plan(ctx, planID)
	if err != nil {
		return Usage{}, err
	}
	day := Quota{Period: Day}
	first, _ := day.Window(start)
	last, _ := day.Window(end)
	if last.Before(first) {
		return Usage{}, fmt.Errorf("%w: end %s is before start %s", errBadQuery, last.Format(time.DateOnly), first.Format(time.DateOnly))
	}
	ndays := int(last.Sub(first)/(24*time.Hour)) + 1
	if ndays > maxUsageDays {
		return Usage{}, fmt.Errorf("%w: %d days, at most %d", errBadQuery, ndays, maxUsageDays)
	}
	var keyIDs []string
	if keyID != "" {
		keyIDs = []string{keyID}
	} else {
		keys, err := p.reg.Keys(ctx)
		if err != nil {
			return Usage{}, err
		}
		for _, k := range keys {
			for _, id := range k.UsagePlanIDs {
				if id == planID {
					keyIDs = append(keyIDs, k.ID)
				}
			}
		}
	}
	// Read from the start of the first day's quota period, so that
	// remaining counts the earlier days of that period.
	from := first
	if plan.Quota != nil {
		from, _ = plan.Quota.Window(first)
	}
	span := int(last.Sub(from)/(24*time.Hour)) + 1
	u := Usage{UsagePlanID: planID, StartDate: first.Format(time.DateOnly), EndDate: last.Format(time.DateOnly), Items: map[string][][2]int64{}}
	now := p.clock.Now()
	for _, id := range keyIDs {
		names := make([]string, span)
		for i := range names {
			names[i] = p.usageKey(planID, id, from.AddDate(0, 0, i))
		}
		counts, err := p.store.Counts(ctx, now, names...)
		if err != nil {
			return Usage{}, err
		}
		rows := make([][2]int64, 0, ndays)
		var periodStart time.Time
		var used int64
		for i, c := range counts {
			d := from.AddDate(0, 0, i)
			remaining := int64(-1)
			if q := plan.Quota; q != nil {
				if ps, _ := q.Window(d); !ps.Equal(periodStart) {
					periodStart, used = ps, 0
				}
				used += c
				remaining = max(0, q.LimitAt(d, plan.CreatedDate)-used)
			}
			if !d.Before(first) {
				rows = append(rows, [2]int64{c, remaining})
			}
		}
		u.Items[id] = rows
	}
	return u, nil
}

// Quota returns the key's standing in the plan's current quota period.
func (p *Plans) Quota(ctx context.Context, planID, keyID string) (QuotaStatus, error) {
	plan, err := p.reg.Plan(ctx, planID)
	if err != nil {
		return QuotaStatus{}, err
	}
	if plan.Quota == nil {
		return QuotaStatus{}, fmt.Errorf("throttle: plan %s has no quota: %w", planID, ErrNotFound)
	}
	now := p.clock.Now()
	start, end := plan.Quota.Window(now)
	counts, err := p.store.Counts(ctx, now, p.quotaKey(planID, keyID, plan.Quota.Period, start))
	if err != nil {
		return QuotaStatus{}, err
	}
	limit := plan.Quota.LimitAt(now, plan.CreatedDate)
	return QuotaStatus{UsagePlanID: planID, KeyID: keyID, Limit: limit, Used: counts[0],
		Remaining: max(0, limit-counts[0]), PeriodStart: start, PeriodEnd: end}, nil
}

// UsageHandler serves the usage API as JSON for operators:
//
//	GET /usageplans/{planId}/usage?startDate=2026-11-01&endDate=2026-11-28[&keyId=ID]
//	GET /usageplans/{planId}/keys/{keyId}/quota
//
// It has no authentication of its own: mount it behind one (and use
// http.StripPrefix to serve it under a prefix).
func (p *Plans) UsageHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /usageplans/{planId}/usage", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		start, err1 := time.Parse(time.DateOnly, q.Get("startDate"))
		end, err2 := time.Parse(time.DateOnly, q.Get("endDate"))
		if err := errors.Join(err1, err2); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "startDate and endDate must be YYYY-MM-DD"})
			return
		}
		u, err := p.Usage(r.Context(), r.PathValue("planId"), start, end, q.Get("keyId"))
		if err != nil {
			writeAPIError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, u)
	})
	mux.HandleFunc("GET /usageplans/{planId}/keys/{keyId}/quota", func(w http.ResponseWriter, r *http.Request) {
		s, err := p.Quota(r.Context(), r.PathValue("planId"), r.PathValue("keyId"))
		if err != nil {
			writeAPIError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, s)
	})
	return mux
}

func writeAPIError(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrNotFound) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": err.Error()})
		return
	}
	if errors.Is(err, errBadQuery) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err.Error()})
		return
	}
	writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal Server Error"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

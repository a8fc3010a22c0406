package throttle

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Period is a quota's period: DAY, WEEK or MONTH.
type Period string

// The quota periods. Periods follow the UTC calendar: a DAY starts at
// 00:00 UTC, a WEEK on Sunday at 00:00 UTC (AWS's documented week start,
// offset 0 = Sunday), a MONTH on the 1st at 00:00 UTC.
const (
	Day   Period = "DAY"
	Week  Period = "WEEK"
	Month Period = "MONTH"
)

// Quota is a usage plan's quota: at most Limit requests per Period and API
// key. Offset requests are subtracted from the limit in the initial period,
// the one in which the plan was created (AWS's QuotaSettings.offset).
type Quota struct {
	// Limit is the most requests per period, 1 or more.
	Limit int64 `json:"limit"`
	// Offset is subtracted from Limit in the initial period; 0 to Limit-1.
	Offset int64 `json:"offset,omitempty"`
	// Period is DAY, WEEK or MONTH.
	Period Period `json:"period"`
}

// Validate checks the quota's fields.
func (q Quota) Validate() error {
	switch {
	case q.Period != Day && q.Period != Week && q.Period != Month:
		return fmt.Errorf("throttle: quota period %q: want DAY, WEEK or MONTH", q.Period)
	case q.Limit < 1:
		return fmt.Errorf("throttle: quota limit %d must be 1 or more", q.Limit)
	case q.Offset < 0 || q.Offset >= q.Limit:
		return fmt.Errorf("throttle: quota offset %d must be 0 to limit-1", q.Offset)
	}
	return nil
}

// Window returns the start and end (exclusive) of the period containing t,
// in UTC.
func (q Quota) Window(t time.Time) (start, end time.Time) {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch q.Period {
	case Week:
		start = day.AddDate(0, 0, -int(day.Weekday()))
		return start, start.AddDate(0, 0, 7)
	case Month:
		start = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, 0)
	default:
		return day, day.AddDate(0, 0, 1)
	}
}

// LimitAt returns the quota's limit for the period containing t, for a plan
// created at created: Limit, less Offset in the initial period.
func (q Quota) LimitAt(t, created time.Time) int64 {
	start, _ := q.Window(t)
	if cs, _ := q.Window(created); cs.Equal(start) {
		return q.Limit - q.Offset
	}
	return q.Limit
}

// APIStage associates a usage plan with a stage of an API, with optional
// per-route throttles that apply to the plan's keys on that stage.
type APIStage struct {
	// APIID is the API's id; empty matches any API.
	APIID string `json:"apiId,omitempty"`
	// Stage is the stage's name.
	Stage string `json:"stage"`
	// Throttle holds per-route limits, keyed "/pets/GET" as AWS writes
	// them or "GET /pets" as route keys; CreatePlan stores route keys.
	Throttle map[string]Limit `json:"throttle,omitempty"`
}

// UsagePlan is an API Gateway usage plan: a throttle and a quota per API
// key, for the API stages listed.
type UsagePlan struct {
	// ID is the plan's id ($context.usagePlanId); CreatePlan assigns one
	// when it is empty.
	ID string `json:"id"`
	// Name and Description are labels for operators.
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Throttle limits each key's requests across all the plan's stages.
	// Nil means no plan throttle.
	Throttle *Limit `json:"throttle,omitempty"`
	// Quota limits each key's requests per period. Nil means none.
	Quota *Quota `json:"quota,omitempty"`
	// APIStages are the stages the plan covers. A plan with none covers
	// every stage, and requests served outside any gateway stage (an
	// extension of AWS for standalone use).
	APIStages []APIStage `json:"apiStages,omitempty"`
	// CreatedDate is when the plan was created; it decides the quota's
	// initial period.
	CreatedDate time.Time `json:"createdDate"`
}

func (p UsagePlan) clone() UsagePlan {
	if p.Throttle != nil {
		l := *p.Throttle
		p.Throttle = &l
	}
	if p.Quota != nil {
		q := *p.Quota
		p.Quota = &q
	}
	p.APIStages = slices.Clone(p.APIStages)
	for i := range p.APIStages {
		p.APIStages[i].Throttle = maps.Clone(p.APIStages[i].Throttle)
	}
	return p
}

// Validate checks the plan's limits and quota and normalises its per-route
// throttle keys to route keys.
func (p *UsagePlan) Validate() error {
	if p.Throttle != nil {
		if err := p.Throttle.Validate(); err != nil {
			return fmt.Errorf("plan %q throttle: %w", p.ID, err)
		}
	}
	if p.Quota != nil {
		if err := p.Quota.Validate(); err != nil {
			return fmt.Errorf("plan %q: %w", p.ID, err)
		}
	}
	for i, s := range p.APIStages {
		if len(s.Throttle) > 0 {
			routes, err := normalizeRoutes(s.Throttle)
			if err != nil {
				return fmt.Errorf("plan %q stage %q: %w", p.ID, s.Stage, err)
			}
			p.APIStages[i].Throttle = routes
		}
	}
	return nil
}

// stage returns the plan's association covering apiID and stage; inGateway
// is false outside a gateway stage, where only plans without stages apply.
func (p *UsagePlan) stage(apiID, stage string, inGateway bool) (*APIStage, bool) {
	if len(p.APIStages) == 0 {
		return nil, true
	}
	if !inGateway {
		return nil, false
	}
	for i := range p.APIStages {
		s := &p.APIStages[i]
		if (s.APIID == "" || s.APIID == apiID) && s.Stage == stage {
			return s, true
		}
	}
	return nil, false
}
